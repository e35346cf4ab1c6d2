import pino from "pino";
import { z } from "zod";
import { startLocalExecutor } from "./index";

// Standalone executor process: `tsx inngest/local-executor/main.ts`. Its own env schema: it shares
// no module with the app. Give the app the same INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY.
const optional = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const Env = z.object({
  DATABASE_URL: z.string().min(1),
  /** The app's serve() endpoint; INNGEST_LOCAL_APP_URL is the older name. */
  STEVEDORE_APP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
  INNGEST_LOCAL_APP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
  PORT: z.coerce.number().int().min(0).max(65535).default(8288),
  INNGEST_SIGNING_KEY: optional,
  INNGEST_EVENT_KEY: optional,
  INNGEST_LOCAL_LANES: z.coerce.number().int().min(1).max(256).default(16),
  INNGEST_LOCAL_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  /** How long a claim outlives a dead executor before another takes its work. */
  INNGEST_LOCAL_LEASE_MS: z.coerce.number().int().min(100).default(30_000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

function main(): void {
  const env = Env.parse(process.env);
  const logger = pino({ level: env.LOG_LEVEL });
  const appUrl = env.STEVEDORE_APP_URL ?? env.INNGEST_LOCAL_APP_URL;
  if (!appUrl) {
    logger.fatal("set STEVEDORE_APP_URL to the app's serve() URL, e.g. http://127.0.0.1:3000/api/inngest");
    process.exit(1);
  }
  if (!env.INNGEST_SIGNING_KEY) logger.warn("INNGEST_SIGNING_KEY is unset: calls to the app are unsigned and the REST API is open (an app in dev mode only)");
  startLocalExecutor({
    databaseUrl: env.DATABASE_URL,
    appUrl,
    port: env.PORT,
    signingKey: env.INNGEST_SIGNING_KEY,
    eventKey: env.INNGEST_EVENT_KEY,
    lanes: env.INNGEST_LOCAL_LANES,
    retryBaseMs: env.INNGEST_LOCAL_RETRY_BASE_MS,
    leaseMs: env.INNGEST_LOCAL_LEASE_MS,
    logger,
  }).then(
    (executor) => {
      // Parents (tests, launchers) read this line to learn the URL.
      process.stdout.write(`${JSON.stringify({ ready: true, url: executor.url })}\n`);
      const shutdown = () => void executor.stop().then(() => process.exit(0));
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    },
    (e: unknown) => {
      logger.fatal({ err: e }, "local executor failed to start");
      process.exit(1);
    },
  );
}

main();
