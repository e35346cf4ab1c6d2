import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { actorContext } from "@/db/test/factories";
import { startHttpReceiver } from "@/lib/alerts/test-support/receivers";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import { waitFor } from "../local-executor/test-support/app-server";

/** Escalation through the local executor: level 2 after its delay unless acknowledged, each level told once. */
describe("escalate-alert through the local executor", () => {
  let h: PipelineHarness;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;

  beforeAll(async () => {
    web = await startHttpReceiver();
    h = await startPipelineHarness({ STEVEDORE_ALERT_EVAL_CRON: "* * * * * *" });
  });
  afterAll(async () => {
    await h?.close();
    await web?.close();
  });

  async function failingCollection() {
    const [c] = await getDb()
      .insert(collections)
      .values({ name: `esc-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    return c!;
  }

  it("notifies level 1 at once and level 2 after its delay, once each; an acknowledgement after level 1 stops level 2", async () => {
    const admin = await actorContext("admin");
    const operator = await actorContext("operator");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const { createEscalationPolicy } = await import("@/lib/services/alerts/escalation-policies");
    const { acknowledgeAlert } = await import("@/lib/services/alerts/acknowledge");
    const first = await createChannel({ ctx: admin, input: { type: "webhook", name: `first ${randomUUID()}`, url: `${web.url}/first` } });
    const second = await createChannel({ ctx: admin, input: { type: "webhook", name: `second ${randomUUID()}`, url: `${web.url}/second` } });
    const policy = await createEscalationPolicy({ ctx: admin, input: { name: `on-call ${randomUUID()}`, levels: [{ channelIds: [first.id], delaySeconds: 0 }, { channelIds: [second.id], delaySeconds: 3 }] } });

    const unheeded = await failingCollection();
    const heeded = await failingCollection();
    const ruleFor = (c: { name: string }) => createAlertRule({ ctx: admin, input: { name: `esc ${c.name}`, source: "operation_failed", matchers: { collection: c.name }, escalationPolicyId: policy.id } });
    const [ruleA, ruleB] = [await ruleFor(unheeded), await ruleFor(heeded)];
    for (const c of [unheeded, heeded]) await getDb().insert(operations).values({ type: "INDEX", collectionId: c.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });

    const alertOf = (ruleId: string) => waitFor(async () => (await getDb().select().from(alerts).where(eq(alerts.ruleId, ruleId)))[0], 15_000, "the alert");
    const [a, b] = [await alertOf(ruleA.id), await alertOf(ruleB.id)];
    const posts = (path: string, alertId: string) => web.received.filter((p) => p.path === path && JSON.parse(p.body).alert?.id === alertId);

    await waitFor(() => Promise.resolve(posts("/first", a.id).length && posts("/first", b.id).length), 15_000, "level 1 of both");
    const firstAt = Date.now();
    await acknowledgeAlert({ ctx: operator, input: { alertId: b.id, reason: "mine" } });
    expect(posts("/second", a.id)).toHaveLength(0);

    await waitFor(() => Promise.resolve(posts("/second", a.id).length), 15_000, "level 2 of the unacknowledged alert");
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(1500);
    await new Promise((r) => setTimeout(r, 4000)); // past level 2's delay for the acknowledged one, and more ticks
    // The acknowledgement ended b's wait for level 2 (its waitForEvent), not a later check.
    const runs = await getSql()<{ output: unknown }[]>`select output from executor_runs where event->>'name' = 'stevedore/alert.escalation-requested' and event->'data'->>'alertId' in (${a.id}, ${b.id}) order by event->'data'->>'alertId' = ${a.id} desc`;
    expect(runs.map((r) => r.output)).toEqual([{ levelsNotified: 2 }, { stoppedBefore: 1, because: "acknowledged" }]);
    expect([posts("/first", a.id).length, posts("/second", a.id).length, posts("/first", b.id).length, posts("/second", b.id).length]).toEqual([1, 1, 1, 0]);
  });
  /** Three alerts of one rule that fire in one evaluation, escalated by a 2-level policy (level 2 after `delaySeconds`) as one group. */
  async function groupOfThree(delaySeconds: number) {
    const admin = await actorContext("admin");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const { createEscalationPolicy } = await import("@/lib/services/alerts/escalation-policies");
    const [g1, g2] = [await createChannel({ ctx: admin, input: { type: "webhook", name: `g1 ${randomUUID()}`, url: `${web.url}/g1` } }), await createChannel({ ctx: admin, input: { type: "webhook", name: `g2 ${randomUUID()}`, url: `${web.url}/g2` } })];
    const policy = await createEscalationPolicy({ ctx: admin, input: { name: `group ${randomUUID()}`, levels: [{ channelIds: [g1.id], delaySeconds: 0 }, { channelIds: [g2.id], delaySeconds }] } });
    // APPEND failures only (other tests fail INDEXes): the three collections' alerts fire in one evaluation.
    const rule = await createAlertRule({ ctx: admin, input: { name: `grouped esc ${randomUUID()}`, source: "operation_failed", matchers: { type: "APPEND" }, escalationPolicyId: policy.id } });
    const cs = [await failingCollection(), await failingCollection(), await failingCollection()];
    await getDb().insert(operations).values(cs.map((c) => ({ type: "APPEND" as const, collectionId: c.id, status: "failed" as const, correlationId: randomUUID(), finishedAt: new Date() })));
    const names = new Set(cs.map((c) => c.name));
    const mine = await waitFor(async () => {
      const rows = (await getDb().select().from(alerts).where(eq(alerts.ruleId, rule.id))).filter((a) => names.has(a.labels.collection!));
      return rows.length === 3 ? rows : undefined;
    }, 15_000, "the three alerts");
    const ids = new Set(mine.map((a) => a.id));
    const told = (path: string) => web.received.filter((p) => p.path === path).map((p) => (JSON.parse(p.body).alerts ?? [JSON.parse(p.body).alert]).map((a: { id: string }) => a.id).filter((id: string) => ids.has(id)).sort()).filter((l: string[]) => l.length);
    const runOutput = async (alertId: string) => (await getSql()<{ output: unknown }[]>`select output from executor_runs where event->>'name' = 'stevedore/alert.escalation-requested' and event->'data'->'group' @> ${JSON.stringify([{ alertId }])}::jsonb`)[0]?.output;
    await waitFor(() => Promise.resolve(told("/g1").length), 15_000, "level 1");
    return { ids: [...ids].sort(), told, runOutput };
  }

  it("escalates alerts of one rule that fired together as one message per level, level 2 listing only those still unacknowledged", async () => {
    const operator = await actorContext("operator");
    const { acknowledgeAlert } = await import("@/lib/services/alerts/acknowledge");
    const { ids, told, runOutput } = await groupOfThree(3);
    const [acked, ...rest] = ids;
    await acknowledgeAlert({ ctx: operator, input: { alertId: acked!, reason: "mine" } });
    await waitFor(() => Promise.resolve(told("/g2").length), 15_000, "level 2");
    await new Promise((r) => setTimeout(r, 2000)); // more ticks: nothing more is sent
    expect(told("/g1")).toEqual([ids]);
    expect(told("/g2")).toEqual([rest]);
    expect(await runOutput(acked!)).toEqual({ levelsNotified: 2, alerts: 3 });
  });

  it("ends a group's escalation as soon as every member is acknowledged, not after the level's delay", async () => {
    const operator = await actorContext("operator");
    const { acknowledgeAlert } = await import("@/lib/services/alerts/acknowledge");
    // Level 2 an hour later: the run can only end within the test by the acknowledgements waking its wait.
    const { ids, told, runOutput } = await groupOfThree(3600);
    // Every member of the run's group: the rule also matches APPEND failures an earlier test left, and they fired with these.
    const [run] = await getSql()<{ group: Array<{ alertId: string }> }[]>`select event->'data'->'group' as group from executor_runs where event->>'name' = 'stevedore/alert.escalation-requested' and event->'data'->'group' @> ${JSON.stringify([{ alertId: ids[0] }])}::jsonb`;
    const members = run!.group.map((m) => m.alertId);
    expect(members).toEqual(expect.arrayContaining(ids));
    // One operator after another, as people do: each acknowledgement once the run waits again (an
    // event sent before a wait is registered is not the wait's, in Inngest as here).
    let since = new Date(0);
    for (const alertId of members) {
      const after = since;
      await waitFor(async () => Number((await getSql()<{ n: number }[]>`select count(*)::int as n from executor_pauses where event_name = 'stevedore/alert.acknowledged' and condition like ${`%${ids[0]}%`} and created_at > ${after.toISOString()}::timestamptz`)[0]!.n) || undefined, 15_000, "the group's wait");
      since = new Date();
      await acknowledgeAlert({ ctx: operator, input: { alertId, reason: "all mine" } });
    }
    const output = await waitFor(() => runOutput(ids[0]!), 15_000, "the run's end");
    expect(output).toEqual({ stoppedBefore: 1, because: "acknowledged", alerts: members.length });
    expect(told("/g1")).toEqual([ids]);
    expect(told("/g2")).toEqual([]);
  });

  it("repeats the last level its count of times, each its delay after the one before, then stops", async () => {
    const admin = await actorContext("admin");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const { createEscalationPolicy } = await import("@/lib/services/alerts/escalation-policies");
    const pager = await createChannel({ ctx: admin, input: { type: "webhook", name: `pager ${randomUUID()}`, url: `${web.url}/pager` } });
    const policy = await createEscalationPolicy({ ctx: admin, input: { name: `repeat ${randomUUID()}`, levels: [{ channelIds: [pager.id], delaySeconds: 1 }], repeatLastLevel: 2 } });
    const c = await failingCollection();
    const rule = await createAlertRule({ ctx: admin, input: { name: `rep ${c.name}`, source: "operation_failed", matchers: { collection: c.name }, escalationPolicyId: policy.id } });
    await getDb().insert(operations).values({ type: "INDEX", collectionId: c.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
    const alert = await waitFor(async () => (await getDb().select().from(alerts).where(eq(alerts.ruleId, rule.id)))[0], 15_000, "the alert");
    const posts = () => web.received.filter((p) => p.path === "/pager" && JSON.parse(p.body).alert?.id === alert.id);
    await waitFor(() => Promise.resolve(posts().length >= 3), 20_000, "the level and its 2 repeats");
    await new Promise((r) => setTimeout(r, 2500)); // a third repeat would have come by now
    expect(posts()).toHaveLength(3);
    const [run] = await getSql()<{ output: unknown }[]>`select output from executor_runs where event->>'name' = 'stevedore/alert.escalation-requested' and event->'data'->>'alertId' = ${alert.id}`;
    expect(run!.output).toEqual({ levelsNotified: 1, repeatsNotified: 2 });
  });
});
