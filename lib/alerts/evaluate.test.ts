import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { alertRules, alerts } from "@/db/schema/alerts";
import { createTestCollection } from "@/db/test/factories";
import { operations } from "@/db/schema/operations";
import { DEFAULT_RULES } from "./defaults";
import { evaluateAlerts, fingerprintOf, renderSummary } from "./evaluate";
import { notificationEvents } from "./notify";

const collection = createTestCollection;

const failOperation = (collectionId: string) =>
  getDb()
    .insert(operations)
    .values({ type: "INDEX", collectionId, status: "failed", correlationId: randomUUID(), finishedAt: new Date() })
    .returning()
    .then((r) => r[0]!);

const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

describe("evaluateAlerts", () => {
  it("seeds the default rules, and moves a matching series pending → firing → resolved → firing again, one row per fingerprint", async () => {
    const alpha = await collection("alpha");
    const beta = await collection("beta");
    const [rule] = await getDb()
      .insert(alertRules)
      .values({ name: `alpha failures ${randomUUID()}`, kind: "metric", source: "operations_failed_15m", matchers: { collection: alpha.name }, operator: "gt", threshold: 0, forSeconds: 30, severity: "critical", description: "{{collection}} had {{value}} failures (over {{threshold}})", channelIds: [randomUUID()] })
      .returning();
    const ofRule = () => getDb().select().from(alerts).where(eq(alerts.ruleId, rule!.id));
    const t0 = new Date();

    expect((await evaluateAlerts(t0)).notifications.filter((n) => n.ruleId === rule!.id)).toEqual([]);
    expect(await ofRule()).toEqual([]);
    expect((await getDb().select().from(alertRules)).filter((r) => r.builtinKey).length).toBe(DEFAULT_RULES.length);

    const failed = await failOperation(alpha.id);
    await failOperation(beta.id);
    expect((await evaluateAlerts(at(t0, 1))).notifications.filter((n) => n.ruleId === rule!.id)).toEqual([]);
    expect((await ofRule()).map((a) => [a.status, a.labels, a.value, a.summary])).toEqual([["pending", { collection: alpha.name }, 1, `${alpha.name} had 1 failures (over 0)`]]);

    const fired = (await evaluateAlerts(at(t0, 31))).notifications.filter((n) => n.ruleId === rule!.id);
    const [row] = await ofRule();
    expect(row).toMatchObject({ status: "firing", fireCount: 1, fingerprint: fingerprintOf(rule!.id, { collection: alpha.name }) });
    expect(fired).toEqual([{ alertId: row!.id, ruleId: rule!.id, kind: "firing", fireCount: 1, channelIds: rule!.channelIds, escalationPolicyId: null }]);
    expect(notificationEvents(fired).map((e) => e.id)).toEqual([`alert-${row!.id}-1-firing-${rule!.channelIds[0]}`]);
    // A second tick while it holds tells no one again, and the same condition stays one alert.
    expect((await evaluateAlerts(at(t0, 46))).notifications.filter((n) => n.ruleId === rule!.id)).toEqual([]);

    await getSql()`update operations set finished_at = now() - interval '20 minutes' where id = ${failed.id}`;
    expect((await evaluateAlerts(at(t0, 61))).notifications.filter((n) => n.ruleId === rule!.id)).toMatchObject([{ alertId: row!.id, kind: "resolved", fireCount: 1 }]);
    expect((await ofRule()).map((a) => [a.status, a.resolvedAt?.getTime()])).toEqual([["resolved", at(t0, 61).getTime()]]);

    await failOperation(alpha.id);
    await evaluateAlerts(at(t0, 76));
    const refired = (await evaluateAlerts(at(t0, 106))).notifications.filter((n) => n.ruleId === rule!.id);
    expect(refired).toMatchObject([{ alertId: row!.id, kind: "firing", fireCount: 2 }]);
    expect((await ofRule()).map((a) => [a.id, a.status, a.fireCount])).toEqual([[row!.id, "firing", 2]]);
  });

  it("fires an event rule at once for the latest failed operation of a type, resolves it when one of that type succeeds, and quietly ends a disabled rule's alerts", async () => {
    const gamma = await collection("gamma");
    const [rule] = await getDb()
      .insert(alertRules)
      .values({ name: `gamma failed ${randomUUID()}`, kind: "event", source: "operation_failed", matchers: { collection: gamma.name }, description: "The latest {{type}} of {{collection}} failed." })
      .returning();
    const t0 = new Date();
    await failOperation(gamma.id);
    expect((await evaluateAlerts(t0)).notifications.filter((n) => n.ruleId === rule!.id)).toMatchObject([{ kind: "firing" }]);
    const [row] = await getDb().select().from(alerts).where(eq(alerts.ruleId, rule!.id));
    expect(row).toMatchObject({ status: "firing", labels: { collection: gamma.name, type: "INDEX" }, summary: `The latest INDEX of ${gamma.name} failed.` });

    await getDb().insert(operations).values({ type: "INDEX", collectionId: gamma.id, status: "succeeded", correlationId: randomUUID(), finishedAt: at(new Date(), 1) });
    expect((await evaluateAlerts(at(t0, 15))).notifications.filter((n) => n.ruleId === rule!.id)).toMatchObject([{ kind: "resolved" }]);

    await failOperation(gamma.id);
    await getSql()`update operations set finished_at = now() + interval '1 minute' where collection_id = ${gamma.id} and status = 'failed'`;
    await evaluateAlerts(at(t0, 30));
    expect((await getDb().select().from(alerts).where(eq(alerts.ruleId, rule!.id)))[0]!.status).toBe("firing");
    await getDb().update(alertRules).set({ enabled: false }).where(eq(alertRules.id, rule!.id));
    expect((await evaluateAlerts(at(t0, 45))).notifications.filter((n) => n.ruleId === rule!.id)).toEqual([]);
    expect((await getDb().select().from(alerts).where(eq(alerts.ruleId, rule!.id)))[0]!.status).toBe("resolved");
  });

  it("reads its sources only once it holds the evaluation lock: a tick queued behind a slower one sees what changed meanwhile", async () => {
    // Reading before the lock let a queued tick step the slower tick's fresh state with an older
    // reading: it resolved what that one had just fired, and the next tick fired it again (told twice).
    const delta = await collection("delta");
    const [rule] = await getDb()
      .insert(alertRules)
      .values({ name: `delta failed ${randomUUID()}`, kind: "event", source: "operation_failed", matchers: { collection: delta.name } })
      .returning();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const holding = new Promise<void>((r) => (locked = r));
    const slower = getSql().begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('stevedore.alert-evaluation'))`;
      locked();
      await released;
    });
    await holding;
    const queued = evaluateAlerts();
    await new Promise((r) => setTimeout(r, 500)); // the queued tick is waiting on the lock by now
    await failOperation(delta.id);
    release();
    await slower;
    expect((await queued).notifications.filter((n) => n.ruleId === rule!.id)).toMatchObject([{ kind: "firing", fireCount: 1 }]);
    expect((await getDb().select().from(alerts).where(eq(alerts.ruleId, rule!.id))).map((a) => a.status)).toEqual(["firing"]);
  });

  it("renders a description, leaving unknown placeholders as written", () => {
    expect(renderSummary({ name: "R", description: "{{collection}} at {{value}} > {{threshold}} ({{rule}}, {{nope}})", threshold: 2 }, { collection: "docs" }, 2.345)).toBe("docs at 2.35 > 2 (R, {{nope}})");
  });
});
