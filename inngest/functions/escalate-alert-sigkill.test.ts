import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { testDatabaseUrl } from "@/db/test/database";
import { actorContext } from "@/db/test/factories";
import { startHttpReceiver } from "@/lib/alerts/test-support/receivers";
import { reloadEnv } from "@/lib/env";
import { freePort } from "@/lib/runtime/embedded-postgres";
import { startAppServer, waitFor, type AppServer } from "../local-executor/test-support/app-server";
import { TEST_EVENT_KEY, TEST_SIGNING_KEY } from "../local-executor/test-support/harness";
import { killProcess, spawnExecutorProcess } from "../local-executor/test-support/executor-process";


/**
 * The executor runs as its own process (`node --import tsx main.ts`, as a deployment runs it) and is
 * SIGKILLed while escalate-alert waits for level 2; another process takes over on the same port and
 * database. Level 1 and level 2 must each be told exactly once.
 */
describe("escalate-alert across a SIGKILLed executor", () => {
  let app: AppServer;
  let child: ChildProcess | null = null;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;
  let port: number;

  async function startExecutor(): Promise<void> {
    child = await spawnExecutorProcess({ DATABASE_URL: testDatabaseUrl(), STEVEDORE_APP_URL: app.url, PORT: String(port), INNGEST_LOCAL_RETRY_BASE_MS: "50", INNGEST_LOCAL_LEASE_MS: "1000", INNGEST_SIGNING_KEY: TEST_SIGNING_KEY, INNGEST_EVENT_KEY: TEST_EVENT_KEY });
  }

  function killExecutor(): Promise<void> {
    const proc = child;
    child = null;
    return killProcess(proc);
  }

  beforeAll(async () => {
    web = await startHttpReceiver();
    port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    delete process.env.INNGEST_DEV;
    Object.assign(process.env, { INNGEST_SIGNING_KEY: TEST_SIGNING_KEY, INNGEST_EVENT_KEY: TEST_EVENT_KEY, INNGEST_EVENT_API_BASE_URL: url, INNGEST_API_BASE_URL: url, STEVEDORE_EXECUTOR: "local", STEVEDORE_ALERT_EVAL_CRON: "* * * * * *" });
    reloadEnv();
    const { inngest } = await import("@/inngest/client");
    const { functions } = await import("@/inngest/functions");
    app = await startAppServer(inngest, functions);
    await startExecutor();
  });
  afterAll(async () => {
    await killExecutor();
    await app?.close();
    await web?.close();
  });

  it("resumes the wait for level 2 in a new process and tells level 1 and level 2 once each", async () => {
    const admin = await actorContext("admin");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const { createEscalationPolicy } = await import("@/lib/services/alerts/escalation-policies");
    const first = await createChannel({ ctx: admin, input: { type: "webhook", name: `first ${randomUUID()}`, url: `${web.url}/first` } });
    const second = await createChannel({ ctx: admin, input: { type: "webhook", name: `second ${randomUUID()}`, url: `${web.url}/second` } });
    const policy = await createEscalationPolicy({ ctx: admin, input: { name: `p ${randomUUID()}`, levels: [{ channelIds: [first.id], delaySeconds: 0 }, { channelIds: [second.id], delaySeconds: 3 }] } });
    const [c] = await getDb()
      .insert(collections)
      .values({ name: `sigkill-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const rule = await createAlertRule({ ctx: admin, input: { name: `r ${c!.name}`, source: "operation_failed", matchers: { collection: c!.name }, escalationPolicyId: policy.id } });
    await getDb().insert(operations).values({ type: "INDEX", collectionId: c!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
    const alert = await waitFor(async () => (await getDb().select().from(alerts).where(eq(alerts.ruleId, rule.id)))[0], 15_000, "the alert");
    const posts = (p: string) => web.received.filter((r) => r.path === p && JSON.parse(r.body).alert?.id === alert.id);
    const escalation = async () =>
      (await getSql()<{ status: string; output: unknown }[]>`select status, output from executor_runs where event->>'name' = 'stevedore/alert.escalation-requested' and event->'data'->>'alertId' = ${alert.id}`)[0];

    await waitFor(() => Promise.resolve(posts("/first").length > 0), 15_000, "level 1");
    await waitFor(async () => (await escalation())?.status === "waiting", 10_000, "the escalation to wait for level 2");
    await killExecutor();
    // Dead past level 2's due time and past the lease: the next process finds an overdue wait.
    await new Promise((r) => setTimeout(r, 3500));
    expect(posts("/second")).toHaveLength(0);
    await startExecutor();

    await waitFor(async () => (await escalation())?.status === "completed", 20_000, "the escalation to finish in the new process");
    await waitFor(() => Promise.resolve(posts("/second").length > 0), 10_000, "level 2 after the restart");
    await new Promise((r) => setTimeout(r, 2000)); // more ticks and any retries: none may tell again
    expect((await escalation())?.output).toEqual({ levelsNotified: 2 });
    expect([posts("/first").length, posts("/second").length]).toEqual([1, 1]);
  });
});
