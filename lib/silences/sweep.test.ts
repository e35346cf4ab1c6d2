import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alertDeliveries, alertRules, alerts, notificationChannels } from "@/db/schema/alerts";
import { heldNotifications, silences } from "@/db/schema/silences";
import { createTestUser } from "@/db/test/factories";
import { fingerprintOf } from "@/lib/alerts/evaluate";
import { sweepSuppressions } from "./suppression";

const now = new Date();
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

async function firingAlert(ruleId: string, collection: string) {
  const labels = { collection, type: "INDEX" };
  const [a] = await getDb()
    .insert(alerts)
    .values({ ruleId, fingerprint: fingerprintOf(ruleId, labels), labels, status: "firing", value: 1, summary: `${collection} failed`, activeSince: ago(300), firedAt: ago(300), fireCount: 1, lastEvaluatedAt: ago(1) })
    .returning();
  return a!;
}

const silence = (collection: string, startsAt: Date, endsAt: Date) =>
  getDb()
    .insert(silences)
    .values({ matchers: [{ label: "collection", op: "=", value: collection }], startsAt, endsAt, comment: `quiet ${collection}`, createdByEmail: "ops@example.com" })
    .returning()
    .then((r) => r[0]!);

describe("sweepSuppressions", () => {
  it("releases a row whose silence has ended even behind more than 2,000 older rows a still-active silence holds, and hands a row another silence now holds over to it", async () => {
    const db = getDb();
    const [rule] = await db.insert(alertRules).values({ name: `sweep ${randomUUID()}`, kind: "event", source: "operation_failed" }).returning();
    const [channel] = await db.insert(notificationChannels).values({ name: `hook ${randomUUID()}`, type: "webhook", config: { url: "http://127.0.0.1:9/hook" } as never }).returning();
    const quiet = await firingAlert(rule!.id, "quiet");
    const free = await firingAlert(rule!.id, "free");
    const moved = await firingAlert(rule!.id, "moved");
    const longSilence = await silence("quiet", ago(600), new Date(now.getTime() + 86_400_000));
    const ended = await silence("free", ago(120), ago(1));
    const endedToo = await silence("moved", ago(120), ago(1));
    const stillOn = await silence("moved", ago(60), new Date(now.getTime() + 3_600_000));

    const held = (alertId: string, silenceId: string, heldAt: Date, key: string) => ({ alertId, channelId: channel!.id, kind: "firing" as const, fireCount: 1, notificationKey: key, silenceId, heldAt });
    // 2,100 rows the long silence holds, all older than the releasable one.
    const rows = Array.from({ length: 2100 }, (_, i) => held(quiet.id, longSilence.id, ago(500 - i / 10), `quiet-${i}-${randomUUID()}`));
    for (let i = 0; i < rows.length; i += 500) await db.insert(heldNotifications).values(rows.slice(i, i + 500));
    await db.insert(heldNotifications).values([held(free.id, ended.id, ago(30), `free-${randomUUID()}`), held(moved.id, endedToo.id, ago(20), `moved-${randomUUID()}`)]);

    const swept = await sweepSuppressions(now);
    expect(swept.events.map((e) => [e.data.alertId, e.data.channelId, e.data.kind])).toEqual([[free.id, channel!.id, "firing"]]);
    const [freeRow] = await db.select().from(heldNotifications).where(eq(heldNotifications.alertId, free.id));
    expect(freeRow).toMatchObject({ releasedAt: now, outcome: "told" });
    const quietRows = await db.select({ releasedAt: heldNotifications.releasedAt }).from(heldNotifications).where(eq(heldNotifications.alertId, quiet.id));
    expect(quietRows.length).toBe(2100);
    expect(quietRows.every((r) => r.releasedAt === null)).toBe(true);
    // The row whose silence ended while another still holds its alert: still held, now by that one.
    const [movedRow] = await db.select().from(heldNotifications).where(eq(heldNotifications.alertId, moved.id));
    expect(movedRow).toMatchObject({ releasedAt: null, silenceId: stillOn.id });

    // Once the long silence ends (expired now), its rows are the sweep's: told once for the (alert, channel).
    await db.update(silences).set({ endsAt: now }).where(inArray(silences.id, [longSilence.id]));
    const later = await sweepSuppressions(new Date(now.getTime() + 1000));
    expect(later.events.map((e) => e.data.alertId)).toEqual([quiet.id]);
    expect((await db.select().from(heldNotifications).where(eq(heldNotifications.alertId, quiet.id))).filter((r) => r.releasedAt === null)).toEqual([]);
    expect((await sweepSuppressions(new Date(now.getTime() + 2000))).events).toEqual([]);
  });

  it("sweeps per (alert, channel or user): a user's and a channel's held rows of one alert are released apart, and a user's held resolution is told only if the user heard of the firing", async () => {
    const db = getDb();
    const [rule] = await db.insert(alertRules).values({ name: `sweep users ${randomUUID()}`, kind: "event", source: "operation_failed" }).returning();
    const [channel] = await db.insert(notificationChannels).values({ name: `hook ${randomUUID()}`, type: "webhook", config: { url: "http://127.0.0.1:9/hook" } as never }).returning();
    const [told, untold, twice] = [await createTestUser("operator"), await createTestUser("operator"), await createTestUser("operator")];
    const firing = await firingAlert(rule!.id, "users-firing");
    const resolved = await firingAlert(rule!.id, "users-resolved");
    await db.update(alerts).set({ status: "resolved", resolvedAt: ago(2) }).where(eq(alerts.id, resolved.id));
    const ended = await silence("users", ago(120), ago(1));
    // `told` heard of the resolved alert's firing before the silence; `untold` never did.
    await db.insert(alertDeliveries).values({ channelId: null, userId: told.id, recipient: told.email, alertId: resolved.id, alertIds: [resolved.id], notificationKey: `alert-${resolved.id}-1-firing-user-${told.id}-level-0`, kind: "firing", attempt: 1, status: "sent", latencyMs: 5 });
    const row = (alertId: string, to: { channelId: string } | { userId: string }, kind: "firing" | "resolved", minutes: number) => ({ alertId, ...to, kind, fireCount: 1, notificationKey: `k-${randomUUID()}`, silenceId: ended.id, heldAt: ago(minutes) });
    await db.insert(heldNotifications).values([
      row(firing.id, { channelId: channel!.id }, "firing", 50),
      row(firing.id, { userId: twice.id }, "firing", 49),
      row(firing.id, { userId: twice.id }, "firing", 48),
      row(resolved.id, { userId: told.id }, "resolved", 47),
      row(resolved.id, { userId: untold.id }, "resolved", 46),
    ]);
    await expect(db.insert(heldNotifications).values({ alertId: firing.id, kind: "firing", fireCount: 1, notificationKey: `k-${randomUUID()}` })).rejects.toThrow();
    await expect(db.insert(heldNotifications).values({ ...row(firing.id, { userId: twice.id }, "firing", 45), channelId: channel!.id })).rejects.toThrow();

    const swept = await sweepSuppressions(now);
    const events = swept.events.map((e) => [e.data.alertId, e.data.channelId ?? null, e.data.userId ?? null, e.data.kind]);
    expect(events).toEqual([
      [firing.id, channel!.id, null, "firing"],
      [firing.id, null, twice.id, "firing"],
      [resolved.id, null, told.id, "resolved"],
    ]);
    expect(swept.events[1]!.id).toContain(`-firing-user-${twice.id}-released-`);
    expect(swept.dropped).toBe(1);
    const outcomes = await db.select({ userId: heldNotifications.userId, outcome: heldNotifications.outcome }).from(heldNotifications).where(inArray(heldNotifications.alertId, [firing.id, resolved.id]));
    expect(outcomes.filter((o) => o.userId === twice.id).map((o) => o.outcome)).toEqual(["told", "told"]);
    expect(outcomes.find((o) => o.userId === untold.id)!.outcome).toBe("dropped: resolved while held; its firing was never told");
    expect((await sweepSuppressions(new Date(now.getTime() + 1000))).events).toEqual([]);
  });
});

describe("a held resolution after a grouped firing", () => {
  it("is told to the channel that heard of the firing in a grouped message, and dropped for one that heard only of an earlier firing", async () => {
    const db = getDb();
    const [rule] = await db.insert(alertRules).values({ name: `sweep group ${randomUUID()}`, kind: "event", source: "operation_failed" }).returning();
    const hook = async () => (await db.insert(notificationChannels).values({ name: `hook ${randomUUID()}`, type: "webhook", config: { url: "http://127.0.0.1:9/hook" } as never }).returning())[0]!;
    const [grouped, stale] = [await hook(), await hook()];
    const [a, b] = [await firingAlert(rule!.id, "group-a"), await firingAlert(rule!.id, "group-b")];
    await db.update(alerts).set({ status: "resolved", resolvedAt: ago(2) }).where(eq(alerts.id, a.id));
    const ended = await silence("group-a", ago(120), ago(1));
    // `grouped` heard of this firing (fired 300 min ago) in one message about a and b; `stale` only of a firing before it.
    const told = { alertId: b.id, alertIds: [b.id, a.id].sort(), kind: "firing" as const, attempt: 1, status: "sent" as const, latencyMs: 5 };
    await db.insert(alertDeliveries).values([
      { ...told, channelId: grouped.id, notificationKey: `alert-group-${rule!.id}-firing-${randomUUID()}-${grouped.id}`, createdAt: ago(299) },
      { ...told, channelId: stale.id, notificationKey: `alert-group-${rule!.id}-firing-${randomUUID()}-${stale.id}`, createdAt: ago(400) },
    ]);
    const held = (channelId: string) => ({ alertId: a.id, channelId, kind: "resolved" as const, fireCount: 1, notificationKey: `k-${randomUUID()}`, silenceId: ended.id, heldAt: ago(10) });
    await db.insert(heldNotifications).values([held(grouped.id), held(stale.id)]);

    const swept = await sweepSuppressions(now);
    expect(swept.events.filter((e) => e.data.alertId === a.id).map((e) => [e.data.channelId, e.data.kind])).toEqual([[grouped.id, "resolved"]]);
    const outcomes = await db.select({ channelId: heldNotifications.channelId, outcome: heldNotifications.outcome }).from(heldNotifications).where(eq(heldNotifications.alertId, a.id));
    expect(outcomes.find((o) => o.channelId === stale.id)!.outcome).toBe("dropped: resolved while held; its firing was never told");
  });
});
