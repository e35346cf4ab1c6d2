import { Inngest, type Logger } from "inngest";
import { getLogger } from "@/lib/observability/logger";
import { MetricsMiddleware } from "@/lib/observability/metrics-middleware";

const SEND_TIMEOUT_MS = 10_000;

/** A server that accepts the connection but never answers would hang send() forever without this. */
const fetchWithTimeout: typeof fetch = (input, init) => {
  const timeout = AbortSignal.timeout(SEND_TIMEOUT_MS);
  const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  return fetch(input, { ...init, signal });
};

// Resolved on first use: the env (LOG_LEVEL) must not be read when this module is imported.
const log = () => getLogger().child({ component: "inngest" });
const logger: Logger = {
  info: (...args) => log().info(...(args as [object, string])),
  warn: (...args) => log().warn(...(args as [object, string])),
  error: (...args) => log().error(...(args as [object, string])),
  debug: (...args) => log().debug(...(args as [object, string])),
};

/**
 * The one Inngest client, configured by the SDK's own variables. Locally the launcher sets cloud mode
 * against the local executor (INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY, INNGEST_EVENT_API_BASE_URL,
 * INNGEST_API_BASE_URL); with Inngest Cloud or `inngest start` the operator sets them (see README).
 */
export const inngest = new Inngest({ id: "stevedore", fetch: fetchWithTimeout, logger, middleware: [MetricsMiddleware] });
