import type { Logger } from "pino";
import type { BreakerPermit, CircuitBreaker } from "./breaker";
import { abortedError, sleep, type TokenBucket } from "./rate-limit";
import type { EmbedderStats } from "./stats";
import { EmbedderError } from "./types";
import { approxTokens, l2Normalize } from "./vector-math";
import { backoffMs, parseRetryAfterMs } from "@/lib/retry";

export type RequestConfig = {
  url: string;
  apiKey?: string;
  /** The provider's model id, without the `openai:` prefix. */
  model: string;
  dimension: number;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
};

export type RequestContext = {
  cfg: RequestConfig;
  breaker: CircuitBreaker;
  rpm?: TokenBucket;
  tpm?: TokenBucket;
  stats: EmbedderStats;
  log: () => Logger;
};

/** How one failed attempt counts: against the service (breaker), for it (it answered), or neither. */
type Verdict = "failure" | "alive" | "neutral";

class AttemptError extends Error {
  constructor(
    message: string,
    readonly verdict: Verdict,
    readonly retryable: boolean,
    readonly extra: { retryAfterMs?: number; timeout?: boolean; status?: number } = {},
  ) {
    super(message);
  }
}

/**
 * One POST {baseUrl}/embeddings with retries: exponential backoff with jitter on 429, 408, 5xx,
 * network errors and timeouts, honouring Retry-After; other 4xx fail at once. Every attempt passes
 * the RPM / TPM buckets and the circuit breaker. Returns unit vectors in input order.
 */
export async function requestEmbeddings(ctx: RequestContext, texts: string[], signal?: AbortSignal, onTokens?: (tokens: number) => void): Promise<Float32Array[]> {
  const { cfg, breaker, stats } = ctx;
  let estimate = 0;
  for (const t of texts) estimate += approxTokens(t);
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw abortedError();
    const peek = breaker.peek();
    if (!peek.ok) throw breakerOpenError(ctx, peek.retryAfterMs);
    const wait = Math.max(ctx.rpm?.reserve(1) ?? 0, ctx.tpm?.reserve(estimate) ?? 0);
    stats.throttledMs += wait;
    await sleep(wait, signal);
    const permit = breaker.acquire();
    if (!permit.ok) throw breakerOpenError(ctx, permit.retryAfterMs);
    stats.requests++;
    try {
      const { vectors, tokens } = await attemptOnce(cfg, texts, estimate, signal);
      breaker.recordSuccess(permit);
      stats.tokens += tokens;
      onTokens?.(tokens);
      return vectors;
    } catch (err) {
      if (!(err instanceof AttemptError)) {
        breaker.recordNeutral(permit);
        if (err instanceof EmbedderError) throw err;
        throw new EmbedderError(`embedding request failed: ${err instanceof Error ? err.message : String(err)}`, true);
      }
      recordAttemptFailure(ctx, permit, err);
      if (!err.retryable) throw new EmbedderError(err.message, false);
      const serverWait = err.extra.retryAfterMs;
      if (attempt >= cfg.maxRetries) {
        throw new EmbedderError(`${err.message} (gave up after ${attempt + 1} attempts)`, true, serverWait);
      }
      // A long Retry-After goes back to the caller: a durable step can sleep without holding a worker.
      if (serverWait !== undefined && serverWait > cfg.retryMaxDelayMs) throw new EmbedderError(err.message, true, serverWait);
      const delay = serverWait !== undefined ? serverWait + Math.random() * Math.min(250, serverWait / 10) : backoffMs(attempt, cfg.retryBaseMs, cfg.retryMaxDelayMs);
      stats.retries++;
      ctx.log().warn({ status: err.extra.status, attempt: attempt + 1, delayMs: Math.round(delay), err: err.message }, "embedding request failed; retrying");
      await sleep(delay, signal);
    }
  }
}

function recordAttemptFailure(ctx: RequestContext, permit: BreakerPermit, err: AttemptError): void {
  ctx.stats.failedRequests++;
  if (err.extra.timeout) ctx.stats.timeouts++;
  if (err.extra.status === 429) ctx.stats.rateLimited++;
  if (err.verdict === "failure") ctx.breaker.recordFailure(permit, err.message);
  else if (err.verdict === "alive") ctx.breaker.recordSuccess(permit);
  else ctx.breaker.recordNeutral(permit, err.message);
}

function breakerOpenError(ctx: RequestContext, retryAfterMs: number): EmbedderError {
  ctx.stats.breakerRejections++;
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new EmbedderError(`embedding service unavailable (circuit breaker open); next attempt in ${seconds} s`, true, retryAfterMs);
}

async function attemptOnce(cfg: RequestConfig, texts: string[], estimate: number, signal?: AbortSignal): Promise<{ vectors: Float32Array[]; tokens: number }> {
  const timeout = AbortSignal.timeout(cfg.timeoutMs);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
  let res: Response;
  let body: string;
  try {
    res = await fetch(cfg.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ model: cfg.model, input: texts, encoding_format: "float" }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    body = await res.text();
  } catch (err) {
    if (signal?.aborted) throw abortedError();
    if (timeout.aborted) throw new AttemptError(`embedding request timed out after ${cfg.timeoutMs} ms`, "failure", true, { timeout: true });
    throw new AttemptError(`embedding request failed: ${redact(networkMessage(err), cfg.apiKey)}`, "failure", true);
  }
  const status = res.status;
  if (status === 429 || status === 408 || status >= 500) {
    const what = status === 429 ? "rate limited by the embedding service" : "embedding service error";
    const detail = serverMessage(body, cfg.apiKey);
    throw new AttemptError(`${what} (${status})${detail ? `: ${detail}` : ""}`, status === 429 ? "neutral" : "failure", true, {
      status,
      retryAfterMs: retryAfterMs(res.headers),
    });
  }
  if (status < 200 || status >= 300) {
    throw new AttemptError(`embedding request rejected (${status}): ${serverMessage(body, cfg.apiKey) || res.statusText}`, "alive", false, { status });
  }
  return parseResponse(cfg, body, texts.length, estimate);
}

function parseResponse(cfg: RequestConfig, body: string, count: number, estimate: number): { vectors: Float32Array[]; tokens: number } {
  const malformed = (why: string) => new AttemptError(`malformed embeddings response: ${why}`, "failure", true);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw malformed("not JSON");
  }
  const data = isRecord(json) ? json.data : undefined;
  if (!Array.isArray(data)) throw malformed("no data array");
  if (data.length !== count) throw malformed(`${data.length} embeddings for ${count} inputs`);
  const vectors = new Array<Float32Array | undefined>(count);
  for (const item of data) {
    const index = isRecord(item) ? item.index : undefined;
    const embedding = isRecord(item) ? item.embedding : undefined;
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= count || vectors[index]) {
      throw malformed("bad or repeated index");
    }
    if (!Array.isArray(embedding)) throw malformed("embedding is not an array of numbers");
    if (embedding.length !== cfg.dimension) {
      throw new AttemptError(
        `embedding dimension mismatch: model ${cfg.model} returned ${embedding.length} values, the collection expects ${cfg.dimension}`,
        "alive",
        false,
      );
    }
    if (!embedding.every((x) => typeof x === "number" && Number.isFinite(x))) throw malformed("non-numeric value in an embedding");
    vectors[index] = l2Normalize(embedding as number[]);
  }
  const usage = isRecord(json) && isRecord(json.usage) ? json.usage : undefined;
  const reported = usage?.total_tokens ?? usage?.prompt_tokens;
  return { vectors: vectors as Float32Array[], tokens: typeof reported === "number" ? reported : estimate };
}

/** `retry-after-ms` (OpenAI), else `Retry-After` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get("retry-after-ms"));
  if (headers.get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfterMs(headers.get("retry-after"), now);
}

/** The error text of OpenAI, vLLM, TEI and Ollama bodies, one line, at most 300 chars, no keys. */
function serverMessage(body: string, apiKey?: string): string {
  let text = body;
  try {
    const json: unknown = JSON.parse(body);
    if (isRecord(json)) {
      const e = json.error;
      const candidate = isRecord(e) ? e.message : (e ?? json.message ?? json.detail);
      if (typeof candidate === "string") text = candidate;
    }
  } catch {
    // not JSON: use the raw body
  }
  const line = redact(text.replace(/\s+/g, " ").trim(), apiKey);
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export function redact(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join("[redacted]");
  return out.replace(/Bearer\s+\S+/gi, "Bearer [redacted]").replace(/\b(sk|pk|rk)-[A-Za-z0-9_*.-]{6,}/g, "$1-[redacted]");
}

function networkMessage(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  if (isRecord(cause) && typeof cause.code === "string") return cause.code;
  if (cause instanceof Error) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
