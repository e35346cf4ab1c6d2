import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { testDatabaseUrl } from "@/db/test/database";
import { actorContext } from "@/db/test/factories";
import { startHttpReceiver } from "@/lib/alerts/test-support/receivers";
import { reloadEnv } from "@/lib/env";
import { freePort } from "@/lib/runtime/embedded-postgres";
import { startLocalExecutor, type LocalExecutor } from "../local-executor";
import { startAppServer, waitFor, type AppServer } from "../local-executor/test-support/app-server";
import { TEST_EVENT_KEY, TEST_SIGNING_KEY } from "../local-executor/test-support/harness";

/** The executor goes away during an escalation's wait and another takes over: level 2 is told once. */
describe("escalate-alert across an executor restart", () => {
  let app: AppServer;
  let executor: LocalExecutor | undefined;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;
  let port: number;
  const start = () => startLocalExecutor({ databaseUrl: testDatabaseUrl(), appUrl: app.url, port, signingKey: TEST_SIGNING_KEY, eventKey: TEST_EVENT_KEY, syncOnStart: false, retryBaseMs: 50, stopGraceMs: 500, leaseMs: 1000, logger: pino({ level: "silent" }) } as Parameters<typeof startLocalExecutor>[0]);

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
    executor = await start();
    await executor.sync();
  });
  afterAll(async () => {
    await executor?.stop();
    await app?.close();
    await web?.close();
  });

  it("resumes the wait for level 2 in the new executor and tells level 1 and level 2 once each", async () => {
    const admin = await actorContext("admin");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const { createEscalationPolicy } = await import("@/lib/services/alerts/escalation-policies");
    const first = await createChannel({ ctx: admin, input: { type: "webhook", name: `first ${randomUUID()}`, url: `${web.url}/first` } });
    const second = await createChannel({ ctx: admin, input: { type: "webhook", name: `second ${randomUUID()}`, url: `${web.url}/second` } });
    const policy = await createEscalationPolicy({ ctx: admin, input: { name: `p ${randomUUID()}`, levels: [{ channelIds: [first.id], delaySeconds: 0 }, { channelIds: [second.id], delaySeconds: 4 }] } });
    const [c] = await getDb()
      .insert(collections)
      .values({ name: `restart-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const rule = await createAlertRule({ ctx: admin, input: { name: `r ${c!.name}`, source: "operation_failed", matchers: { collection: c!.name }, escalationPolicyId: policy.id } });
    await getDb().insert(operations).values({ type: "INDEX", collectionId: c!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
    const alert = await waitFor(async () => (await getDb().select().from(alerts).where(eq(alerts.ruleId, rule.id)))[0], 15_000, "the alert");
    const posts = (path: string) => web.received.filter((p) => p.path === path && JSON.parse(p.body).alert?.id === alert.id);

    await waitFor(() => Promise.resolve(posts("/first").length > 0), 15_000, "level 1");
    await executor!.stop();
    executor = undefined;
    await new Promise((r) => setTimeout(r, 1500));
    executor = await start();

    await waitFor(() => Promise.resolve(posts("/second").length > 0), 20_000, "level 2 after the restart");
    await new Promise((r) => setTimeout(r, 3000));
    expect([posts("/first").length, posts("/second").length]).toEqual([1, 1]);
  });
});
