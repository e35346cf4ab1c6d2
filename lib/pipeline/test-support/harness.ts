import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { reloadEnv } from "@/lib/env";
import { freePort } from "@/lib/runtime/embedded-postgres";
import { startLocalExecutor, type LocalExecutor } from "@/inngest/local-executor";
import { startAppServer, waitFor, type AppServer } from "@/inngest/local-executor/test-support/app-server";
import { TEST_EVENT_KEY, TEST_SIGNING_KEY } from "@/inngest/local-executor/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";
import { testDatabaseUrl } from "@/db/test/database";

export type PipelineHarness = {
  root: string;
  svc: typeof import("./services");
  finished: (ctx: ServiceContext, operationId: string, timeoutMs?: number) => Promise<Awaited<ReturnType<typeof import("./services").getOperation>>["operation"]>;
  close: () => Promise<void>;
};

/**
 * The pipeline as `npm start` runs it: the app's real functions behind the real serve() handler,
 * the local executor, PostgreSQL, LanceDB. `env` is applied before any app module loads.
 */
export async function startPipelineHarness(env: Record<string, string> = {}): Promise<PipelineHarness> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-pipeline-"));
  const root = path.join(base, "sources");
  await fs.mkdir(root);
  const port = await freePort();
  // Signed, as the launcher runs it: the SDK in cloud mode verifies every call, sends to the executor with its event key.
  delete process.env.INNGEST_DEV;
  const executorUrl = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { INNGEST_SIGNING_KEY: TEST_SIGNING_KEY, INNGEST_EVENT_KEY: TEST_EVENT_KEY, INNGEST_EVENT_API_BASE_URL: executorUrl, INNGEST_API_BASE_URL: executorUrl, STEVEDORE_EXECUTOR: "local", STEVEDORE_SOURCE_ROOTS: root, STEVEDORE_DATA_DIR: path.join(base, "data"), ...env });
  reloadEnv();
  const { inngest } = await import("@/inngest/client");
  const { functions } = await import("@/inngest/functions");
  const app: AppServer = await startAppServer(inngest, functions);
  const executor: LocalExecutor = await startLocalExecutor({ databaseUrl: testDatabaseUrl(), appUrl: app.url, port, signingKey: TEST_SIGNING_KEY, eventKey: TEST_EVENT_KEY, syncOnStart: false, retryBaseMs: 50, logger: pino({ level: process.env.EXECUTOR_LOG_LEVEL ?? "silent" }) });
  await executor.sync();
  const svc = await import("./services");
  const finished: PipelineHarness["finished"] = (ctx, operationId, timeoutMs = 60_000) =>
    waitFor(
      async () => {
        const { operation } = await svc.getOperation({ ctx, input: { operationId } });
        return ["succeeded", "failed", "cancelled"].includes(operation.status) ? operation : undefined;
      },
      timeoutMs,
      "the operation to finish",
    );
  return {
    root,
    svc,
    finished,
    close: async () => {
      await executor.stop();
      await app.close();
    },
  };
}
