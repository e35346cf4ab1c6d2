import http from "node:http";
import type { AddressInfo } from "node:net";
import { CancellationInputError, cancelRunsInRange, type CancellationRequest } from "./cancellations";
import { storeCheckpoint, type CheckpointBody } from "./checkpoint";
import type { ExecutorContext } from "./context";
import { acknowledgedTransaction } from "./db";
import { cancelRun } from "./runs";
import { getRun } from "./queries";
import { isAuthorized, isEventKey } from "./signing";
import { storeFunctions } from "./sync";
import type { FunctionConfig } from "./registry";
import { ingestEvents, type IncomingEvent } from "./triggers";
import { eventSizeError } from "./usage-limits";
import { drizzle } from "drizzle-orm/postgres-js";

const MAX_BODY = 10 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, "body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    throw new HttpError(400, "body is not JSON");
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The server side of the protocol the SDK talks to: the Event API (`POST /e/:key`), the runs REST
 * API (`GET`/`DELETE /v1/runs/:id`) and out-of-band registration (`POST /fn/register`).
 */
export function createExecutorHttpServer(ctx: ExecutorContext, onRegistered: () => Promise<void>): http.Server {
  const db = drizzle(ctx.sql);
  const routes = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://executor");
    const parts = url.pathname.split("/").filter(Boolean);
    if (req.method === "POST" && parts[0] === "e" && parts.length === 2) {
      if (!isEventKey(parts[1]!, ctx.eventKey)) throw new HttpError(401, "unknown event key");
      const body = await readJson(req);
      const events = (Array.isArray(body) ? body : [body]) as IncomingEvent[];
      if (events.some((e) => !e || typeof e !== "object" || typeof e.name !== "string" || !e.name)) throw new HttpError(400, "every event needs a name");
      const tooLarge = events.map((e) => eventSizeError(ctx.limits, e)).find(Boolean);
      if (tooLarge) throw new HttpError(413, tooLarge);
      // The 200 promises the events are kept: this commit waits for the WAL flush.
      const ids = await acknowledgedTransaction(ctx.sql, (tx) => ingestEvents(ctx, tx, events));
      return send(res, 200, { ids, status: 200 });
    }
    if (req.method === "POST" && url.pathname === "/fn/register") {
      if (!isAuthorized(req.headers.authorization, ctx.signingKey)) throw new HttpError(401, "unauthorized");
      const body = (await readJson(req)) as { url?: string; functions?: FunctionConfig[] } | null;
      if (!body?.url || !Array.isArray(body.functions)) throw new HttpError(400, "register needs url and functions");
      await storeFunctions(ctx.sql, body.url, body.functions, ctx.logger);
      await onRegistered();
      return send(res, 200, { ok: true, modified: true });
    }
    if (parts[0] === "v1" && parts[1] === "runs" && parts[2] && parts.length === 3) {
      if (!isAuthorized(req.headers.authorization, ctx.signingKey)) throw new HttpError(401, "unauthorized");
      const runId = parts[2];
      if (!/^[0-9a-f-]{36}$/i.test(runId)) throw new HttpError(404, "run not found");
      if (req.method === "DELETE") {
        const cancelled = await acknowledgedTransaction(ctx.sql, (tx) => cancelRun(ctx, tx, runId, "cancelled through the API"));
        const run = await getRun(db, runId);
        if (!run) throw new HttpError(404, "run not found");
        return send(res, 200, { data: { run_id: runId, status: run.status, cancelled } });
      }
      if (req.method === "GET") {
        const run = await getRun(db, runId);
        if (!run) throw new HttpError(404, "run not found");
        return send(res, 200, { data: run });
      }
    }
    if (req.method === "POST" && parts[0] === "v1" && parts[1] === "checkpoint" && parts[2] && parts[3] === "async" && parts.length === 4) {
      if (!isAuthorized(req.headers.authorization, ctx.signingKey)) throw new HttpError(401, "unauthorized");
      const body = await readJson(req);
      if (!body || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "body must be an object");
      // 409 tells the SDK its call no longer owns the run (cancelled, ended, lease lost): it stops.
      if ((await storeCheckpoint(ctx, parts[2], body as CheckpointBody)) === "stale") throw new HttpError(409, "stale dispatch");
      return send(res, 200, { ok: true });
    }
    if (req.method === "GET" && parts[0] === "v1" && parts[1] === "events" && parts[2] && parts[3] === "runs" && parts.length === 4) {
      if (!isAuthorized(req.headers.authorization, ctx.signingKey)) throw new HttpError(401, "unauthorized");
      if (!/^[0-9a-f-]{36}$/i.test(parts[2])) return send(res, 200, { data: [] });
      const runs = await ctx.sql<{ run_id: string; function_id: string; status: string }[]>`
        select id as run_id, function_id, status from executor_runs where event_id = ${parts[2]} order by created_at`;
      return send(res, 200, { data: runs });
    }
    if (req.method === "POST" && url.pathname === "/v1/cancellations") {
      if (!isAuthorized(req.headers.authorization, ctx.signingKey)) throw new HttpError(401, "unauthorized");
      const body = await readJson(req);
      if (!body || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "body must be an object");
      try {
        return send(res, 200, await cancelRunsInRange(ctx, body as CancellationRequest));
      } catch (e) {
        if (e instanceof CancellationInputError) throw new HttpError(400, e.message);
        throw e;
      }
    }
    if (req.method === "GET" && url.pathname === "/health") return send(res, 200, { status: "ok" });
    throw new HttpError(404, "not found");
  };
  return http.createServer((req, res) => {
    routes(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) ctx.logger.error({ err: e, url: req.url }, "executor request failed");
      if (!res.headersSent) send(res, status, { error: status === 500 ? "internal error" : (e as Error).message, status });
      else res.end();
    });
  });
}

export async function listen(server: http.Server, port: number, host = "127.0.0.1"): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
