import { QdrantClientResourceExhaustedError, QdrantClientTimeoutError } from "@qdrant/js-client-rest";
import { VectorStoreError } from "./validate";

/**
 * A failed Qdrant request, classified: `retryable` for what may pass on a later try (429, 408, 5xx
 * other than 507, timeouts, refused or reset connections), `missingCollection` only for Qdrant's
 * own "Collection `x` doesn't exist!" 404 (a proxy's 404 is a misconfigured URL, not a missing collection).
 */
export class QdrantError extends VectorStoreError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly missingCollection: boolean;

  constructor(message: string, opts: { status?: number; retryable: boolean; retryAfterMs?: number; missingCollection?: boolean; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = "QdrantError";
    this.status = opts.status;
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
    this.missingCollection = opts.missingCollection ?? false;
  }
}

// Qdrant's StorageError display (lib/storage/src/content_manager/errors.rs) around collections_ops.rs's text.
const MISSING_COLLECTION = /^Not found: Collection `([^`]+)` doesn't exist!$/;
// 408: Qdrant's StorageError::Timeout; 503: ShardUnavailable and AlreadyInProgress (src/actix/helpers.rs).
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);

/** Qdrant's error text from its `{ status: { error }, time }` body; undefined when the body is not Qdrant's. */
export function qdrantErrorText(data: unknown): string | undefined {
  const status = typeof data === "object" && data !== null ? (data as { status?: unknown }).status : undefined;
  const error = typeof status === "object" && status !== null ? (status as { error?: unknown }).error : undefined;
  return typeof error === "string" ? error : undefined;
}

function networkCode(e: unknown): string | undefined {
  for (let c: unknown = e, depth = 0; c && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}

/** Turns whatever the client threw into a QdrantError; `what` says what was being done ("counting docs__v2"). */
export function classifyQdrantError(e: unknown, what: string): QdrantError {
  if (e instanceof QdrantError) return e;
  if (e instanceof QdrantClientResourceExhaustedError) {
    // The client keeps only Retry-After's first character (api-client.ts: headers.get('retry-after')?.[0]), so this is a lower bound.
    return new QdrantError(`Qdrant ${what} failed: rate limited (429)`, { status: 429, retryable: true, retryAfterMs: e.retry_after * 1000, cause: e });
  }
  if (e instanceof Error && /^Invalid retryAfter value/.test(e.message)) {
    return new QdrantError(`Qdrant ${what} failed: rate limited (429)`, { status: 429, retryable: true, cause: e });
  }
  if (e instanceof QdrantClientTimeoutError) return new QdrantError(`Qdrant ${what} timed out`, { retryable: true, cause: e });
  const status = typeof e === "object" && e !== null ? (e as { status?: unknown }).status : undefined;
  if (typeof status === "number") {
    const text = qdrantErrorText((e as { data?: unknown }).data);
    const missing = status === 404 && text !== undefined ? MISSING_COLLECTION.exec(text) : null;
    if (missing) return new QdrantError(`Collection ${missing[1]} does not exist`, { status, retryable: false, missingCollection: true, cause: e });
    const detail = text ?? `HTTP ${status}${status === 404 ? " (not Qdrant's answer: check QDRANT_URL)" : ""}`;
    return new QdrantError(`Qdrant ${what} failed: ${detail}`, { status, retryable: RETRYABLE_STATUS.has(status), cause: e });
  }
  const code = networkCode(e);
  if (code) return new QdrantError(`Qdrant ${what} failed: ${code}`, { retryable: true, cause: e });
  return new QdrantError(`Qdrant ${what} failed: ${e instanceof Error ? e.message : String(e)}`, { retryable: false, cause: e });
}
