import pino from "pino";
import { env } from "@/lib/env";

type Cache = { logger?: pino.Logger };
const cache = ((globalThis as { __stevedoreLogger?: Cache }).__stevedoreLogger ??= {});

/** The one pino logger: JSON lines on stdout. Use `.child({ correlationId })` for context. */
export function getLogger(): pino.Logger {
  cache.logger ??= pino({ level: env().LOG_LEVEL, base: { app: "stevedore" } });
  return cache.logger;
}
