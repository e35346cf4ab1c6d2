import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { backups } from "@/db/schema/backups";
import { healthSamples } from "@/db/schema/health-samples";
import { operations, operationSteps } from "@/db/schema/operations";
import { SOURCE_NAMES } from "@/lib/alerts/sources";
import { SUCCEEDED_WITH_FAILURES } from "@/lib/operation-status";
import { actorContext, createTestCollection, createTestUser } from "@/db/test/factories";
import { apiRequest, CONSOLE_ORIGIN, noParams, setTestAuthEnv, signedInCookie } from "@/lib/auth/test-support/session-cookie";
import { POST as previewRoute } from "@/app/api/v1/alert-rules/preview/route";
import { previewAlertRule } from "./preview-rule";

setTestAuthEnv();

const now = new Date();
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const name = `prev-${randomUUID().slice(0, 8)}`;
const other = `prev-other-${randomUUID().slice(0, 8)}`;

/** 30 minutes of samples: `name` has 12 dead letters from 25 to 15 minutes ago and again from 5 minutes ago; `other` never does. */
async function seed() {
  const rows = Array.from({ length: 30 }, (_, i) => {
    const m = 30 - i;
    const dead = (m <= 25 && m > 15) || m <= 5 ? 12 : 0;
    return {
      at: minutesAgo(m),
      status: m === 10 ? ("unhealthy" as const) : ("healthy" as const),
      components: {},
      rssBytes: 1,
      heapUsedBytes: 1,
      diskFree: {},
      collections: [
        { id: "a", name, points: 0, documents: 0, deadLetters: dead },
        { id: "b", name: other, points: 0, documents: 0, deadLetters: 0 },
      ],
      runningOperations: 0,
      waitingOperations: 0,
      deadLetters: dead,
    };
  });
  // One from two days ago: outside the 24 h.
  rows.push({ ...rows[0]!, at: new Date(now.getTime() - 48 * 3600_000), collections: [{ id: "a", name, points: 0, documents: 0, deadLetters: 99 }] });
  await getDb().insert(healthSamples).values(rows);
}

describe("rule preview", () => {
  it("replays the stored samples of the last 24 h: two firings of one collection, the first resolved, with their peaks; the 'for' delays them", async () => {
    await seed();
    const admin = await actorContext("admin");
    const preview = await previewAlertRule({ ctx: admin, now, input: { source: "dead_letters", matchers: { collection: name }, operator: "gt", threshold: "10" } });
    expect(preview).toMatchObject({ supported: true, samples: 30, total: 2 });
    expect(preview.firings.map((f) => [f.labels.collection, f.firedAt.getTime(), f.resolvedAt?.getTime() ?? null, f.peak])).toEqual([
      [name, minutesAgo(5).getTime(), null, 12],
      [name, minutesAgo(25).getTime(), minutesAgo(15).getTime(), 12],
    ]);
    const delayed = await previewAlertRule({ ctx: admin, now, input: { source: "dead_letters", matchers: { collection: name }, threshold: 10, forSeconds: 300 } });
    // 10 minutes above from 25 minutes ago: fires 5 minutes in; the second stretch (5 to 1 minutes ago) never held for 5 minutes.
    expect(delayed.firings.map((f) => [f.firedAt.getTime(), f.resolvedAt?.getTime()])).toEqual([[minutesAgo(20).getTime(), minutesAgo(15).getTime()]]);
    const unhealthy = await previewAlertRule({ ctx: admin, now, input: { source: "health_unhealthy", threshold: 0 } });
    expect(unhealthy.firings.map((f) => [f.firedAt.getTime(), f.resolvedAt?.getTime()])).toEqual([[minutesAgo(10).getTime(), minutesAgo(9).getTime()]]);
  });

  it("is for admins only, and answers over REST (400 on a bad field)", async () => {
    await expect(previewAlertRule({ ctx: await actorContext("viewer"), input: { source: "dead_letters" } })).rejects.toMatchObject({ code: "forbidden" });
    const admin = await createTestUser("admin");
    const { cookie } = await signedInCookie(admin.email);
    const post = (body: unknown) => previewRoute(apiRequest("/api/v1/alert-rules/preview", { method: "POST", cookie, origin: CONSOLE_ORIGIN, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), noParams);
    const ok = await post({ source: "dead_letters", threshold: 1000 });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data).toMatchObject({ supported: true, total: 0 });
    expect((await post({ source: "nope" })).status).toBe(400);
  });
});

const windowStart = new Date(now.getTime() - 24 * 3600_000 + 60_000);
const hoursAgo = (h: number) => minutesAgo(h * 60);

const collection = createTestCollection;

type OperationRow = typeof operations.$inferInsert;
const operation = (collectionId: string, values: Partial<OperationRow>) =>
  getDb()
    .insert(operations)
    .values({ type: "INDEX", status: "succeeded", correlationId: randomUUID(), ...values, collectionId })
    .returning()
    .then((r) => r[0]!);

/** [collection or type label, fired, resolved] in minutes before `now` (the window's first minute is 1439), newest first as a preview lists them. */
type Firing = { labels: Record<string, string>; firedAt: Date; resolvedAt: Date | null };
const minutes = (at: Date | null) => (at === null ? null : Math.round((now.getTime() - at.getTime()) / 60_000));
const summary = (firings: Firing[], label: string) => firings.map((f) => [f.labels[label], minutes(f.firedAt), minutes(f.resolvedAt)]);

describe("rule preview of the sources the sampler does not store", () => {
  it("operation_failed and succeeded-with-failures replay each (collection, type)'s latest finished operation, the one before the window included", async () => {
    const admin = await actorContext("admin");
    const c = await collection("prev-ops");
    // Failed 30 h ago and never redone: it holds from the window's first minute.
    await operation(c.id, { type: "REINDEX", status: "failed", finishedAt: hoursAgo(30) });
    // An INDEX that failed 50 minutes ago, was redone well 20 minutes ago, then failed again 5 minutes ago.
    await operation(c.id, { type: "INDEX", status: "succeeded", finishedAt: hoursAgo(30) });
    await operation(c.id, { type: "INDEX", status: "failed", finishedAt: minutesAgo(50) });
    await operation(c.id, { type: "INDEX", status: "succeeded", finishedAt: minutesAgo(20) });
    await operation(c.id, { type: "INDEX", status: "failed", finishedAt: minutesAgo(5) });
    // An APPEND that left dead letters 10 minutes ago; a failed one still running is not finished.
    await operation(c.id, { type: "APPEND", status: "succeeded", result: { outcome: SUCCEEDED_WITH_FAILURES }, finishedAt: minutesAgo(10) });
    await operation(c.id, { type: "APPEND", status: "running", startedAt: minutesAgo(3) });
    const other = await collection("prev-ops-other");
    await operation(other.id, { type: "INDEX", status: "failed", finishedAt: minutesAgo(40) });

    const failed = await previewAlertRule({ ctx: admin, now, input: { source: "operation_failed", matchers: { collection: c.name } } });
    expect(failed).toMatchObject({ supported: true, total: 3 });
    expect(summary(failed.firings, "type")).toEqual([
      ["INDEX", 5, null],
      ["INDEX", 50, 20],
      ["REINDEX", 1439, null],
    ]);
    // The "for" holds a firing back from when the failure was recorded; a 10-minute one never fires on the latest INDEX failure (5 minutes old).
    const held = await previewAlertRule({ ctx: admin, now, input: { source: "operation_failed", matchers: { collection: c.name, type: "INDEX" }, forSeconds: 600 } });
    expect(summary(held.firings, "type")).toEqual([["INDEX", 40, 20]]);
    const partial = await previewAlertRule({ ctx: admin, now, input: { source: "operation_succeeded_with_failures", matchers: { collection: c.name } } });
    expect(summary(partial.firings, "type")).toEqual([["APPEND", 10, null]]);
    // The threshold applies: an event's series is 1, so "> 1" never fires.
    expect((await previewAlertRule({ ctx: admin, now, input: { source: "operation_failed", matchers: { collection: c.name }, threshold: 1 } })).total).toBe(0);
  });

  it("backup sources replay each collection's latest finished backup and its verification, and its age since the latest complete one", async () => {
    const admin = await actorContext("admin");
    const c = await collection("prev-bak");
    const backup = (values: Partial<typeof backups.$inferInsert>) => getDb().insert(backups).values({ collectionId: c.id, collectionName: c.name, kind: "full", status: "complete", path: `/tmp/${randomUUID()}`, ...values });
    // 26 h ago: a good, verified backup (2 h old when the window starts).
    await backup({ pointCount: 5, createdAt: hoursAgo(26.1), finishedAt: hoursAgo(26), verifiedAt: hoursAgo(26), verifiedOk: true });
    // 40 minutes ago: an empty one, verified 30 minutes ago; 10 minutes ago a failed one.
    await backup({ pointCount: 0, createdAt: minutesAgo(41), finishedAt: minutesAgo(40), verifiedAt: minutesAgo(30), verifiedOk: true });
    await backup({ status: "failed", createdAt: minutesAgo(12), finishedAt: minutesAgo(10) });
    // Still running: not finished, so it is nobody's latest.
    await backup({ status: "running", createdAt: minutesAgo(2) });
    const preview = (source: string, extra: Record<string, unknown> = {}) => previewAlertRule({ ctx: admin, now, input: { source, matchers: { collection: c.name }, ...extra } });

    expect(summary((await preview("backup_empty")).firings, "collection")).toEqual([[c.name, 40, 10]]);
    expect(summary((await preview("backup_never_verified")).firings, "collection")).toEqual([[c.name, 40, 30]]);
    expect(summary((await preview("backup_failed")).firings, "collection")).toEqual([[c.name, 10, null]]);
    // Older than 30 minutes: from the window's start until the backup of 40 minutes ago, and again once that one is over 30 minutes old (9 minutes ago; exactly 30 is not over).
    expect(summary((await preview("backup_age_hours", { threshold: 0.5 })).firings, "collection")).toEqual([
      [c.name, 9, null],
      [c.name, 1439, 40],
    ]);
    // Over 3 h: the 26 h old backup is exactly 3 h old 23 h ago (1380 minutes), over it a minute later.
    expect(summary((await preview("backup_age_hours", { threshold: 3 })).firings, "collection")).toEqual([[c.name, 1379, 40]]);
  });

  it("reindex_awaiting_approval replays each approval from its checkpoint's start to its decision, or to its operation's end", async () => {
    const admin = await actorContext("admin");
    const c = await collection("prev-approval");
    const approval = async (op: Partial<OperationRow>, step: { startedAt: Date; finishedAt?: Date }) => {
      const o = await operation(c.id, { type: "REINDEX", ...op });
      await getDb().insert(operationSteps).values({ operationId: o.id, name: "approval", status: step.finishedAt ? "succeeded" : "running", ...step });
    };
    await approval({ status: "succeeded", finishedAt: minutesAgo(15) }, { startedAt: minutesAgo(30), finishedAt: minutesAgo(20) });
    // Cancelled while waiting: its checkpoint never finished, the operation did.
    await approval({ status: "cancelled", finishedAt: minutesAgo(5) }, { startedAt: minutesAgo(8) });
    await approval({ status: "waiting" }, { startedAt: minutesAgo(2) });
    const preview = await previewAlertRule({ ctx: admin, now, input: { source: "reindex_awaiting_approval", matchers: { collection: c.name } } });
    expect(summary(preview.firings, "collection")).toEqual([
      [c.name, 2, null],
      [c.name, 8, 5],
      [c.name, 30, 20],
    ]);
  });

  it("runs_waiting and breaker_open replay what the sampler now records, skipping minutes sampled before it did", async () => {
    const admin = await actorContext("admin");
    const model = `prev-model-${randomUUID().slice(0, 8)}`;
    const base = { status: "healthy" as const, components: {}, rssBytes: 1, heapUsedBytes: 1, diskFree: {}, collections: [], runningOperations: 0, waitingOperations: 0, deadLetters: 0 };
    // Half a minute after each of the first test's samples (which recorded neither), so the minutes interleave.
    const sampleAt = (m: number) => new Date(minutesAgo(m).getTime() + 30_000);
    const waiting = [0, 4, 4, 4, 0, 0, 5, 5];
    const open = [false, false, true, true, false, true, true, false];
    await getDb()
      .insert(healthSamples)
      .values(waiting.map((n, i) => ({ ...base, at: sampleAt(8 - i), runsWaiting: n, breakers: [{ model, open: open[i]! }, { model: `${model}-other`, open: true }] })));
    const runs = await previewAlertRule({ ctx: admin, now, input: { source: "runs_waiting", threshold: 3, forSeconds: 90 } });
    // Above 3 from 6½ to 3½ minutes ago and from 1½: the first held its 90 s (firing at 4½), the second did not.
    expect(runs.firings.map((f) => [minutes(f.firedAt), minutes(f.resolvedAt), f.peak])).toEqual([[5, 4, 4]]);
    const breaker = await previewAlertRule({ ctx: admin, now, input: { source: "breaker_open", matchers: { model } } });
    expect(summary(breaker.firings, "model")).toEqual([
      [model, 3, 1],
      [model, 6, 4],
    ]);
  });

  it("answers for every source", async () => {
    const admin = await actorContext("admin");
    for (const source of SOURCE_NAMES) expect(await previewAlertRule({ ctx: admin, now, input: { source } }), source).toMatchObject({ supported: true, message: null });
    expect(windowStart.getTime()).toBe(minutesAgo(1439).getTime());
  });
});
