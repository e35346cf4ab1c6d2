import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { hashText } from "../builtin";

export const FAKE_OPENAI_API_KEY = "sk-fake-stevedore-test";

export type FakeServerStats = {
  /** Embedding requests received (authorised or not, failed or served) and inputs served. */
  requests: number;
  inputs: number;
  served: number;
  /** Requests answered by an injected failure (status or 429) or left hanging. */
  failed: number;
  hung: number;
  /** Inputs per served request, in arrival order. */
  batchSizes: number[];
};

export type FakeOpenAiServer = {
  /** Base URL, e.g. `http://127.0.0.1:40123/v1`: what STEVEDORE_EMBEDDING_URL points at. */
  url: string;
  port: number;
  apiKey: string | null;
  dimension: number;
  /** The next `n` requests get `status` (default 500). */
  failNext(n: number, status?: number): void;
  /** Every request gets `status` until `recover()`. */
  failAll(status?: number): void;
  /** The next `times` requests (default 1) get 429 with `Retry-After: retryAfterS`. */
  rateLimit(retryAfterS: number, times?: number): void;
  /** The next `times` requests (default: all until `recover()`) are accepted and never answered. */
  hang(times?: number): void;
  /** Every answer waits this long first. */
  latency(ms: number): void;
  /** Answers with random unit vectors (a broken model), until `recover()`. */
  garbage(): void;
  recover(): void;
  stats(): FakeServerStats;
  resetStats(): void;
  close(): Promise<void>;
};

type Directive = { kind: "fail"; status: number } | { kind: "rate_limit"; retryAfterS: number } | { kind: "hang" };

const ControlBody = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("ok") }),
  z.object({ mode: z.literal("fail"), status: z.number().int().min(400).max(599).default(500), count: z.number().int().min(1).optional() }),
  z.object({ mode: z.literal("rate_limit"), retryAfterS: z.number().min(0).default(1), count: z.number().int().min(1).default(1) }),
  z.object({ mode: z.literal("hang"), count: z.number().int().min(1).optional() }),
  z.object({ mode: z.literal("latency"), ms: z.number().min(0) }),
  z.object({ mode: z.literal("reset_stats") }),
]);

const MAX_INPUTS = 2048;

/**
 * A real HTTP server speaking the OpenAI embeddings API (`POST /v1/embeddings` or `/embeddings`),
 * with deterministic vectors from the built-in embedder and failure modes for tests. Test support
 * only: also controllable over HTTP (`POST /_control`, `GET /_stats`) when run standalone.
 */
export async function startFakeOpenAiServer(
  opts: { port?: number; host?: string; apiKey?: string | null; dimension?: number } = {},
): Promise<FakeOpenAiServer> {
  const apiKey = opts.apiKey === undefined ? FAKE_OPENAI_API_KEY : opts.apiKey;
  const dimension = opts.dimension ?? 1536;
  const next: Directive[] = [];
  let always: Directive | null = null;
  let latencyMs = 0;
  let garbage = false;
  let stats = emptyStats();

  const control = {
    failNext: (n: number, status = 500) => next.push(...Array.from({ length: n }, () => ({ kind: "fail" as const, status }))),
    failAll: (status = 500) => void (always = { kind: "fail", status }),
    rateLimit: (retryAfterS: number, times = 1) => next.push(...Array.from({ length: times }, () => ({ kind: "rate_limit" as const, retryAfterS }))),
    hang: (times?: number) => {
      if (times === undefined) always = { kind: "hang" };
      else next.push(...Array.from({ length: times }, () => ({ kind: "hang" as const })));
    },
    latency: (ms: number) => void (latencyMs = ms),
    garbage: () => void (garbage = true),
    recover: () => {
      next.length = 0;
      always = null;
      latencyMs = 0;
      garbage = false;
    },
    stats: () => ({ ...stats, batchSizes: [...stats.batchSizes] }),
    resetStats: () => void (stats = emptyStats()),
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const body = await readBody(req);
    if (path === "/_stats" && req.method === "GET") return send(res, 200, control.stats());
    if (path === "/_control" && req.method === "POST") return handleControl(body, res);
    if (path !== "/v1/embeddings" && path !== "/embeddings") return sendError(res, 404, `Invalid URL (${req.method} ${path})`, "invalid_request_error");
    if (req.method !== "POST") return sendError(res, 405, `Invalid method ${req.method}`, "invalid_request_error");
    stats.requests++;
    if (apiKey !== null) {
      const auth = req.headers.authorization;
      if (!auth) return sendError(res, 401, "You didn't provide an API key. Provide it in an Authorization header (Bearer auth).", "invalid_request_error");
      if (auth !== `Bearer ${apiKey}`) return sendError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    const directive = next.shift() ?? always;
    if (directive?.kind === "hang") {
      stats.hung++;
      return; // accepted, never answered: the client's timeout must fire
    }
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (directive?.kind === "fail") {
      stats.failed++;
      return sendError(res, directive.status, `Injected failure (${directive.status})`, directive.status >= 500 ? "server_error" : "invalid_request_error");
    }
    if (directive?.kind === "rate_limit") {
      stats.failed++;
      res.setHeader("retry-after", String(directive.retryAfterS));
      return sendError(res, 429, "Rate limit reached for requests. Please try again later.", "requests", "rate_limit_exceeded");
    }
    serveEmbeddings(body, res);
  }

  function serveEmbeddings(raw: string, res: http.ServerResponse): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return sendError(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error");
    }
    const body = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
    if (typeof body.model !== "string" || !body.model) return sendError(res, 400, "you must provide a model parameter", "invalid_request_error");
    const inputs = parseInputs(body.input);
    if (typeof inputs === "string") return sendError(res, 400, inputs, "invalid_request_error", null, "input");
    const format = body.encoding_format ?? "float";
    if (format !== "float" && format !== "base64") {
      return sendError(res, 400, `'${String(format)}' is not one of ['float', 'base64'] - 'encoding_format'`, "invalid_request_error");
    }
    const dims = body.dimensions ?? dimension;
    if (typeof dims !== "number" || !Number.isInteger(dims) || dims < 2 || dims > dimension) {
      return sendError(res, 400, `Invalid 'dimensions': must be an integer from 2 to ${dimension}`, "invalid_request_error");
    }
    let tokens = 0;
    const data = inputs.map((text, index) => {
      tokens += Math.ceil(text.length / 4);
      const v = garbage ? randomUnit(dims) : hashText(text, dims)!;
      const embedding = format === "base64" ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : Array.from(v);
      return { object: "embedding", index, embedding };
    });
    stats.served++;
    stats.inputs += inputs.length;
    stats.batchSizes.push(inputs.length);
    send(res, 200, { object: "list", data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  function handleControl(raw: string, res: http.ServerResponse): void {
    let parsed: z.infer<typeof ControlBody>;
    try {
      parsed = ControlBody.parse(JSON.parse(raw));
    } catch (err) {
      return send(res, 400, { error: err instanceof Error ? err.message : "bad control request" });
    }
    if (parsed.mode === "ok") control.recover();
    else if (parsed.mode === "fail") {
      if (parsed.count === undefined) control.failAll(parsed.status);
      else control.failNext(parsed.count, parsed.status);
    } else if (parsed.mode === "rate_limit") control.rateLimit(parsed.retryAfterS, parsed.count);
    else if (parsed.mode === "hang") control.hang(parsed.count);
    else if (parsed.mode === "latency") control.latency(parsed.ms);
    else control.resetStats();
    send(res, 200, { ok: true });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}/v1`,
    port,
    apiKey,
    dimension,
    ...control,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** OpenAI accepts a string, an array of strings, or token arrays; empty strings are rejected. */
function parseInputs(input: unknown): string[] | string {
  const invalid = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";
  if (input === undefined) return "you must provide an input parameter";
  const list = Array.isArray(input) && (input.length === 0 || typeof input[0] !== "number") ? (input as unknown[]) : [input];
  if (list.length === 0 || list.length > MAX_INPUTS) return invalid;
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === "string" && item.length > 0) out.push(item);
    else if (Array.isArray(item) && item.length > 0 && item.every((t) => Number.isInteger(t))) out.push(item.join(" "));
    else return invalid;
  }
  return out;
}

function emptyStats(): FakeServerStats {
  return { requests: 0, inputs: 0, served: 0, failed: 0, hung: 0, batchSizes: [] };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, message: string, type: string, code: string | null = null, param: string | null = null): void {
  send(res, status, { error: { message, type, param, code } });
}

/** `tsx lib/embeddings/test-support/fake-openai-server.ts [--port N] [--api-key K|--no-auth] [--dimension D]` */
function runStandalone(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const port = arg("--port");
  const dimension = arg("--dimension");
  void startFakeOpenAiServer({
    port: port ? Number(port) : 0,
    apiKey: argv.includes("--no-auth") ? null : (arg("--api-key") ?? FAKE_OPENAI_API_KEY),
    dimension: dimension ? Number(dimension) : undefined,
  }).then((server) => {
    process.stdout.write(`${JSON.stringify({ url: server.url, apiKey: server.apiKey, dimension: server.dimension })}\n`);
    const stop = () => void server.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

if (/fake-openai-server\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) runStandalone(process.argv.slice(2));

function randomUnit(dims: number): Float32Array {
  const v = Float32Array.from({ length: dims }, () => Math.random() - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
