import pino, { type Logger } from "pino";
import type { ExecutorContext } from "./context";
import { connectExecutorDb } from "./db";
import { createExecutorHttpServer, listen } from "./http-server";
import { FunctionRegistry } from "./registry";
import { syncApp } from "./sync";
import { INNGEST_CLOUD_LIMITS, type UsageLimits } from "./usage-limits";
import { ingestEvents } from "./triggers";
import { Worker } from "./worker";

export type LocalExecutorOptions = {
  databaseUrl: string;
  /** The app's serve() endpoint, e.g. http://127.0.0.1:3000/api/inngest. */
  appUrl: string;
  /** 0 or absent: any free port. */
  port?: number;
  host?: string;
  /** When set, calls to the app are signed and /v1 requires it as a bearer token (cloud mode). */
  signingKey?: string;
  /** When set, the Event API accepts only this key (`POST /e/<eventKey>`); give the SDK the same INNGEST_EVENT_KEY. */
  eventKey?: string;
  logger?: Logger;
  /** Concurrent SDK calls in this process. */
  lanes?: number;
  retryBaseMs?: number;
  callTimeoutMs?: number;
  pollMs?: number;
  /** Keep trying to sync in the background from start-up until the app answers (default true). */
  syncOnStart?: boolean;
  poolSize?: number;
  /** Finished runs, their steps and their events are deleted after this many days (default 14). */
  retentionDays?: number;
  /** Inngest's usage limits, enforced; each defaults to Inngest Cloud's (INNGEST_CLOUD_LIMITS). */
  limits?: Partial<UsageLimits>;
  /** A claim lasts this long unless its worker's heartbeat extends it; then another worker takes it (default 30 s). */
  leaseMs?: number;
  /** On stop, how long calls in flight may finish before the process lets go (default 30 s). */
  stopGraceMs?: number;
  /** How long a run waits for its function to be registered (rolling restarts) before failing (default 10 min). */
  missingFunctionGraceMs?: number;
  /**
   * Let the SDK checkpoint, as Inngest's server does (default true): it runs a sequential run's
   * steps in one call and reports each to `/v1/checkpoint`. The app's INNGEST_API_BASE_URL must
   * reach an executor on the same database; when it doesn't, the SDK falls back to a 206 per step.
   */
  checkpointing?: boolean;
};

export type LocalExecutor = {
  /** Base URL of the Event API and REST API, e.g. http://127.0.0.1:PORT: the SDK's INNGEST_EVENT_API_BASE_URL and INNGEST_API_BASE_URL. */
  url: string;
  /** In-band sync with the app now; rejects if the app does not answer. */
  sync(): Promise<void>;
  stop(): Promise<void>;
};

/** The embedded durable-execution server: Inngest's protocol, state in PostgreSQL. */
export async function startLocalExecutor(opts: LocalExecutorOptions): Promise<LocalExecutor> {
  const logger = (opts.logger ?? pino({ level: "info" })).child({ component: "local-executor" });
  const lanes = opts.lanes ?? 16;
  const sql = connectExecutorDb(opts.databaseUrl, opts.poolSize ?? lanes + 4);
  const registry = new FunctionRegistry(sql, opts.appUrl);
  const limits = { ...INNGEST_CLOUD_LIMITS, ...opts.limits };
  let worker: Worker | null = null;
  const ctx: ExecutorContext = {
    sql,
    registry,
    logger,
    signingKey: opts.signingKey,
    eventKey: opts.eventKey,
    retryBaseMs: opts.retryBaseMs ?? 1000,
    // A call is one step: it may take as long as Inngest lets a step run.
    callTimeoutMs: opts.callTimeoutMs ?? limits.maxStepDurationMs,
    limits,
    missingFunctionGraceMs: opts.missingFunctionGraceMs ?? 10 * 60_000,
    checkpointing: opts.checkpointing ?? true,
    checkpointingCalls: new Map(),
    wake: () => worker?.wake(),
    emit: (tx, events) => ingestEvents(ctx, tx, events),
  };
  await registry.reload();
  worker = new Worker(ctx, {
    lanes,
    pollMs: opts.pollMs ?? 100,
    housekeepingMs: 1000,
    retentionDays: opts.retentionDays ?? 14,
    leaseMs: opts.leaseMs ?? 30_000,
    stopGraceMs: opts.stopGraceMs ?? 30_000,
  });
  await worker.start();
  const server = createExecutorHttpServer(ctx, () => registry.reload());
  const port = await listen(server, opts.port ?? 0, opts.host ?? "127.0.0.1");
  const url = `http://${opts.host ?? "127.0.0.1"}:${port}`;
  logger.info({ url, appUrl: opts.appUrl, workerId: worker.workerId }, "local executor started");

  const sync = async () => {
    const synced = await syncApp({ sql, appUrl: opts.appUrl, signingKey: opts.signingKey, logger });
    registry.adopt(synced.map((f) => f.id));
    await registry.reload();
  };
  let stopped = false;
  if (opts.syncOnStart !== false) {
    void (async () => {
      for (let delay = 250; !stopped; delay = Math.min(delay * 2, 5000)) {
        try {
          return await sync();
        } catch (e) {
          logger.debug({ err: e }, "app not ready for sync yet; retrying");
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    })();
  }

  return {
    url,
    sync,
    stop: async () => {
      stopped = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await worker?.stop();
      await sql.end({ timeout: 5 });
      logger.info("local executor stopped");
    },
  };
}
