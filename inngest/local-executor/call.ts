import http from "node:http";
import https from "node:https";
import { canonicalJson, signBody } from "./signing";
import { parseRetryAfterMs } from "./time";

/** One op of a 206 response, as the SDK sends it (see shared/notes/wire-capture.txt). */
export type SdkOp = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown> | null;
  userland?: { id?: string; index?: number } | null;
  data?: unknown;
  error?: Record<string, unknown> | null;
};

export type Memo = { type: "data"; data: unknown } | { type: "error"; error: unknown } | null;

export type CallRequest = {
  runtimeUrl: string;
  stepId: string | null;
  event: Record<string, unknown>;
  /** batchEvents: the whole batch; absent means `[event]`. */
  events?: Record<string, unknown>[] | null;
  steps: Record<string, Memo>;
  stack: string[];
  runId: string;
  attempt: number;
  maxAttempts: number;
  disableImmediate: boolean;
  /** Lets the SDK checkpoint its steps (`/v1/checkpoint/:runId/async`) and run them in this one call. */
  checkpoint?: { functionId: string; queueItemId: string };
  signingKey?: string;
  /** How long one step may take: a checkpointing call restarts it at each checkpoint (`onRestartable`). */
  timeoutMs: number;
  onRestartable?: (restart: () => void) => void;
};

export type CallResult =
  | { kind: "ops"; ops: SdkOp[]; retryAfterMs?: number }
  | { kind: "done"; data: unknown }
  | { kind: "error"; retriable: boolean; error: Record<string, unknown>; retryAfterMs?: number; status: number; timedOut?: boolean };

/** Builds the v2 request body; ctx.fn_id and ctx.qi_id only when the call may checkpoint. */
export function buildCallBody(req: Omit<CallRequest, "runtimeUrl" | "stepId" | "signingKey" | "timeoutMs">): Record<string, unknown> {
  return {
    event: req.event,
    events: req.events?.length ? req.events : [req.event],
    version: 2,
    steps: req.steps,
    ctx: {
      run_id: req.runId,
      attempt: req.attempt,
      max_attempts: req.maxAttempts,
      disable_immediate_execution: req.disableImmediate,
      use_api: false,
      stack: { stack: req.stack, current: req.stack.length },
      // As Inngest sends them: with both, the SDK checkpoints (the wire-capture note).
      ...(req.checkpoint ? { fn_id: req.checkpoint.functionId, qi_id: req.checkpoint.queueItemId } : {}),
    },
  };
}

export function callUrl(runtimeUrl: string, stepId: string | null): string {
  const url = new URL(runtimeUrl);
  url.searchParams.set("stepId", stepId ?? "step");
  return url.toString();
}

function asError(value: unknown, fallback: string): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  return { name: "Error", message: typeof value === "string" && value ? value : fallback };
}

// Keep-alive agents: most calls go to one app, and node:http costs less CPU per call than fetch.
const agents = { "http:": new http.Agent({ keepAlive: true, maxSockets: 256 }), "https:": new https.Agent({ keepAlive: true, maxSockets: 256 }) };

class CallTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

type RawResponse = { status: number; headers: http.IncomingHttpHeaders; text: string };

function post(urlText: string, headers: Record<string, string>, body: string, timeoutMs: number, onRestartable?: (restart: () => void) => void): Promise<RawResponse> {
  const url = new URL(urlText);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const req = transport.request(
      url,
      { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, agent: agents[url.protocol as "http:" | "https:"] },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => req.destroy(new CallTimeout(timeoutMs)), timeoutMs);
    };
    restart();
    onRestartable?.(restart);
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}

function header(headers: http.IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** POSTs one call to the app's serve() handler and classifies the answer. Network errors are retriable. */
export async function callFunction(req: CallRequest): Promise<CallResult> {
  // The SDK verifies the canonical form; unsigned (dev) calls skip the costlier canonicalization.
  const body = req.signingKey ? canonicalJson(buildCallBody(req)) : JSON.stringify(buildCallBody(req));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (req.signingKey) headers["x-inngest-signature"] = signBody(body, req.signingKey);
  let res: RawResponse;
  try {
    res = await post(callUrl(req.runtimeUrl, req.stepId), headers, body, req.timeoutMs, req.onRestartable);
  } catch (e) {
    return { kind: "error", retriable: true, status: 0, timedOut: e instanceof CallTimeout, error: { name: "NetworkError", message: `call to the app failed: ${(e as Error).message}` } };
  }
  const text = res.text;
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  const retryAfterMs = parseRetryAfterMs(header(res.headers, "retry-after"));
  if (res.status === 206) {
    const ops = (Array.isArray(parsed) ? parsed : [parsed]).filter((op): op is SdkOp => !!op && typeof op === "object" && "op" in op);
    return { kind: "ops", ops, retryAfterMs };
  }
  if (res.status === 200) return { kind: "done", data: parsed };
  const noRetry = header(res.headers, "x-inngest-no-retry") === "true";
  return { kind: "error", retriable: !noRetry, status: res.status, retryAfterMs, error: asError(parsed, `HTTP ${res.status}`) };
}
