import pino from "pino";
import { z } from "zod";
import { startLocalExecutor } from "./index";

// Standalone executor process: `tsx inngest/local-executor/main.ts`.
const Env = z.object({
  DATABASE_URL: z.string().min(1),
  INNGEST_LOCAL_APP_URL: z.string().url(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8288),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_LOCAL_LANES: z.coerce.number().int().min(1).max(256).default(16),
  INNGEST_LOCAL_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

function main(): void {
  const env = Env.parse(process.env);
  const logger = pino({ level: env.LOG_LEVEL });
  startLocalExecutor({
    databaseUrl: env.DATABASE_URL,
    appUrl: env.INNGEST_LOCAL_APP_URL,
    port: env.PORT,
    signingKey: env.INNGEST_SIGNING_KEY || undefined,
    lanes: env.INNGEST_LOCAL_LANES,
    retryBaseMs: env.INNGEST_LOCAL_RETRY_BASE_MS,
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
