import { Inngest, type InngestFunction } from "inngest";
import pino from "pino";
import postgres from "postgres";
import { freePort } from "../../../lib/runtime/embedded-postgres";
import { startLocalExecutor, type LocalExecutor, type LocalExecutorOptions } from "../index";
import { hashedSigningKey, signBody } from "../signing";
import { startAppServer, waitFor, type AppServer } from "./app-server";

export type Harness = {
  client: Inngest.Any;
  app: AppServer;
  executor: LocalExecutor;
  sql: postgres.Sql;
  /** Headers for the executor's REST API (`/v1/...`): the signing key as a bearer token, as the SDK sends it. */
  apiHeaders: Record<string, string>;
  /** `x-inngest-signature` for a request body sent straight to the app, as the executor signs it. */
  signedHeaders: (body: string) => Record<string, string>;
  /** Full function id as the executor knows it: `<appId>-<fnId>`. */
  fnId: (id: string) => string;
  runsOfEvent: (eventId: string) => Promise<{ id: string; status: string; function_id: string }[]>;
  waitForStatus: (runId: string, statuses: string[], timeoutMs?: number) => Promise<RunRow>;
  close: () => Promise<void>;
};

/** What production runs: the app verifies signatures (cloud mode), the executor signs, the Event API checks its key. */
export const TEST_SIGNING_KEY = `signkey-test-${"a1".repeat(32)}`;
export const TEST_EVENT_KEY = "test-event-key";

export type RunRow = { id: string; status: string; output: unknown; error: Record<string, unknown> | null; function_id: string };

/**
 * A real executor and a real serve() handler wired together on loopback ports, over the test
 * database. Each suite uses its own app id so suites running side by side keep apart.
 */
export async function startHarness(opts: {
  databaseUrl: string;
  appId: string;
  functions: (client: Inngest.Any) => InngestFunction.Any[];
  executor?: Partial<LocalExecutorOptions>;
  /** The key the executor signs with and the app (in cloud mode) verifies; a fixed test key by default. */
  signingKey?: string;
  /** Dev mode: unsigned calls, no key checks. Only for a test about dev mode itself. */
  unsigned?: boolean;
}): Promise<Harness> {
  const port = await freePort();
  const signingKey = opts.unsigned ? undefined : (opts.signingKey ?? TEST_SIGNING_KEY);
  const eventKey = opts.unsigned ? undefined : TEST_EVENT_KEY;
  const mode = signingKey ? { isDev: false, signingKey, eventKey } : { isDev: true };
  const client = new Inngest({ id: opts.appId, ...mode, baseUrl: `http://127.0.0.1:${port}`, logger: pino({ level: "silent" }) });
  const app = await startAppServer(client, opts.functions(client));
  const executor = await startLocalExecutor({
    databaseUrl: opts.databaseUrl,
    appUrl: app.url,
    port,
    syncOnStart: false,
    retryBaseMs: 20,
    pollMs: 20,
    logger: pino({ level: process.env.EXECUTOR_TEST_LOG ?? "silent" }),
    signingKey,
    eventKey,
    ...opts.executor,
  });
  await executor.sync();
  const sql = postgres(opts.databaseUrl, { max: 2, onnotice: () => undefined });
  const harness: Harness = {
    client,
    app,
    executor,
    sql,
    apiHeaders: signingKey ? { authorization: `Bearer ${hashedSigningKey(signingKey)}` } : {},
    signedHeaders: (body): Record<string, string> => (signingKey ? { "x-inngest-signature": signBody(body, signingKey) } : {}),
    fnId: (id) => `${opts.appId}-${id}`,
    runsOfEvent: async (eventId) => sql`select id, status, function_id from executor_runs where event_id = ${eventId} order by created_at`,
    waitForStatus: (runId, statuses, timeoutMs = 15_000) =>
      waitFor(
        async () => {
          const [row] = await sql<RunRow[]>`select id, status, output, error, function_id from executor_runs where id = ${runId}`;
          return row && statuses.includes(row.status) ? row : undefined;
        },
        timeoutMs,
        `run ${runId} to reach ${statuses.join("/")}`,
      ),
    close: async () => {
      // Leave nothing for other suites' executors to pick up once this app is gone.
      await sql`
        update executor_runs set status = 'cancelled', ended_at = now()
        where function_id like ${`${opts.appId}-%`} and status in ('queued', 'running', 'sleeping', 'waiting')`;
      await sql`delete from executor_queue q using executor_runs r where r.id = q.run_id and r.function_id like ${`${opts.appId}-%`}`;
      await executor.stop();
      await app.close();
      await sql.end({ timeout: 5 });
    },
  };
  return harness;
}
