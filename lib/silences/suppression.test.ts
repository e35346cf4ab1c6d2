import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { heldNotifications, maintenanceWindows } from "@/db/schema/silences";
import { actorContext } from "@/db/test/factories";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startHttpReceiver } from "@/lib/alerts/test-support/receivers";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";

/**
 * Silences and maintenance windows through the local executor: the evaluator ticks every second,
 * notify-channel posts to a loopback webhook receiver, and real operations open and close windows.
 */
describe("suppression through the local executor", () => {
  let h: PipelineHarness;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;
  let operator: ServiceContext;
  let admin: ServiceContext;
  /** This suite's rule: the default rules (with no channels) fire on the same failures, so an alert is looked up by rule. */
  let ruleId: string;

  beforeAll(async () => {
    web = await startHttpReceiver();
    h = await startPipelineHarness({ STEVEDORE_ALERT_EVAL_CRON: "* * * * * *", STEVEDORE_DISK_MARGIN_BYTES: "0" });
    operator = await actorContext("operator");
    admin = await actorContext("admin");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createAlertRule } = await import("@/lib/services/alerts/create-rule");
    const channel = await createChannel({ ctx: admin, input: { type: "webhook", name: `hook ${randomUUID()}`, url: `${web.url}/hook` } });
    // One rule over every collection: each collection's failed operation is an alert of its own.
    ruleId = (await createAlertRule({ ctx: admin, input: { name: `failed ${randomUUID().slice(0, 8)}`, source: "operation_failed", channelIds: [channel.id] } })).id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await web?.close();
  });

  async function indexed(name: string) {
    const dir = path.join(h.root, name);
    await fs.mkdir(dir, { recursive: true });
    for (let i = 0; i < 6; i++) await fs.writeFile(path.join(dir, `d${i}.md`), `# Doc ${i}\n\nquay crane ${i} berth pallet manifest ${"reefer ".repeat(i + 20)}\n`);
    const { collectionId, operationId } = await h.svc.createCollection({ ctx: operator, input: { name, embeddingModel: "builtin-hash", source: { kind: "directory", name, path: dir }, chunkSize: 300, chunkOverlap: 30 } });
    expect((await h.finished(operator, operationId, 120_000)).status).toBe("succeeded");
    return collectionId;
  }
  async function bareCollection(name: string) {
    const [c] = await getDb().insert(collections).values({ name, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" }).returning();
    return c!.id;
  }
  /** A failed BACKUP on the collection: the rule's condition, from the next tick on. */
  const failBackup = (collectionId: string) => getDb().insert(operations).values({ type: "BACKUP", collectionId, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
  const postsFor = (collection: string) => web.received.filter((p) => p.path === "/hook" && JSON.parse(p.body).alert?.labels?.collection === collection);
  const alertOf = (collection: string) => waitFor(async () => (await getDb().select().from(alerts).where(eq(alerts.ruleId, ruleId))).find((a) => a.labels.collection === collection && a.status === "firing"), 20_000, `the alert on ${collection}`);
  const step = async (operationId: string, name: string) => (await h.svc.getOperation({ ctx: operator, input: { operationId } })).steps.find((s) => s.name === name);
  const windowOf = async (operationId: string) => (await getDb().select().from(maintenanceWindows).where(eq(maintenanceWindows.operationId, operationId)))[0];

  async function reindexAwaitingApproval(collectionId: string, name: string) {
    const { operationId } = await h.svc.startReindex({ ctx: operator, input: { collectionId, settings: { chunkSize: 500, chunkOverlap: 50 }, requireApproval: true, confirm: name } });
    await waitFor(async () => (await step(operationId, "approval"))?.status === "running", 120_000, "the reindex to await approval");
    return operationId;
  }

  it("a window opened by a reindex holds that collection's notifications only, closes when the reindex ends, and what it held is told once", async () => {
    const { listMaintenanceWindows } = await import("@/lib/services/silences/windows");
    const { listSuppressedAlerts } = await import("@/lib/services/silences/read-silences");
    const reindexed = `mw-${randomUUID().slice(0, 6)}`;
    const other = `other-${randomUUID().slice(0, 6)}`;
    const reindexedId = await indexed(reindexed);
    const otherId = await bareCollection(other);
    const operationId = await reindexAwaitingApproval(reindexedId, reindexed);

    const open = (await listMaintenanceWindows({ ctx: operator })).find((w) => w.operationId === operationId);
    expect(open).toMatchObject({ automatic: true, state: "active", collectionId: reindexedId, closedAt: null });

    await failBackup(reindexedId);
    await failBackup(otherId);
    const [held, told] = [await alertOf(reindexed), await alertOf(other)];
    await waitFor(() => Promise.resolve(postsFor(other).length), 20_000, "the other collection's notification");
    await waitFor(async () => (await getDb().select().from(heldNotifications).where(eq(heldNotifications.alertId, held.id)))[0], 20_000, "the held notification");
    await new Promise((r) => setTimeout(r, 2000)); // more ticks while the window holds
    expect(postsFor(reindexed)).toHaveLength(0);
    expect((await listSuppressedAlerts({ ctx: operator })).find((s) => s.alert.id === held.id)).toMatchObject({ by: { kind: "window", id: open!.id, until: null }, heldNotifications: 1 });
    expect((await listSuppressedAlerts({ ctx: operator })).map((s) => s.alert.id)).not.toContain(told.id);

    await h.svc.decideReindex({ ctx: await actorContext("operator"), input: { operationId, decision: "approve" } });
    expect((await h.finished(operator, operationId, 60_000)).status).toBe("succeeded");
    expect((await windowOf(operationId))!.closedAt).not.toBeNull();

    // The alert still fires after the window: told once, at the next tick, and only once.
    await waitFor(() => Promise.resolve(postsFor(reindexed).length), 20_000, "the held notification, released");
    await new Promise((r) => setTimeout(r, 3000));
    // Kinds and fire counts, not just lengths: a failure says which notification came twice.
    const notified = (collection: string) => postsFor(collection).map((p) => { const b = JSON.parse(p.body); return `${b.kind} #${b.alert.fireCount}`; });
    expect({ reindexed: notified(reindexed), other: notified(other) }).toEqual({ reindexed: ["firing #1"], other: ["firing #1"] });
    expect(JSON.parse(postsFor(reindexed)[0]!.body)).toMatchObject({ kind: "firing", alert: { id: held.id, status: "firing" } });
    expect((await getDb().select().from(heldNotifications).where(eq(heldNotifications.alertId, held.id))).map((r) => r.outcome)).toEqual(["told"]);
    expect((await listSuppressedAlerts({ ctx: operator })).map((s) => s.alert.id)).not.toContain(held.id);
    expect((await listMaintenanceWindows({ ctx: operator })).find((w) => w.operationId === operationId)).toMatchObject({ state: "ended" });
  }, 300_000);

  it("the window closes when its reindex fails (rejected) or is cancelled", async () => {
    const rejected = `rej-${randomUUID().slice(0, 6)}`;
    const cancelled = `can-${randomUUID().slice(0, 6)}`;
    const [rejectedId, cancelledId] = [await indexed(rejected), await indexed(cancelled)];
    const [rejectOp, cancelOp] = [await reindexAwaitingApproval(rejectedId, rejected), await reindexAwaitingApproval(cancelledId, cancelled)];
    expect((await windowOf(rejectOp))!.closedAt).toBeNull();
    expect((await windowOf(cancelOp))!.closedAt).toBeNull();

    await h.svc.decideReindex({ ctx: await actorContext("operator"), input: { operationId: rejectOp, decision: "reject", comment: "not now" } });
    expect((await h.finished(operator, rejectOp, 60_000)).status).toBe("failed");
    expect((await windowOf(rejectOp))!.closedAt).not.toBeNull();

    await h.svc.cancelOperation({ ctx: operator, input: { operationId: cancelOp } });
    expect((await h.finished(operator, cancelOp, 60_000)).status).toBe("cancelled");
    expect((await windowOf(cancelOp))!.closedAt).not.toBeNull();
  }, 300_000);

  it("a clear opens a window on its collection and closes it when the clear ends", async () => {
    const name = `clr-${randomUUID().slice(0, 6)}`;
    const collectionId = await indexed(name);
    const { operationId } = await h.svc.clearCollection({ ctx: admin, input: { collectionId, confirmName: name } });
    expect((await h.finished(admin, operationId, 60_000)).status).toBe("succeeded");
    const w = await windowOf(operationId);
    expect(w).toMatchObject({ collectionId, name: `CLEAR ${name}` });
    expect(w!.closedAt).not.toBeNull();
  }, 200_000);

  it("a replace-restore opens a window on its collection and closes it when the restore ends", async () => {
    const name = `rst-${randomUUID().slice(0, 6)}`;
    const collectionId = await indexed(name);
    const backup = await h.svc.startBackup({ ctx: operator, input: { collectionId } });
    expect((await h.finished(operator, backup.operationId, 60_000)).status).toBe("succeeded");
    const { operationId } = await h.svc.startRestore({ ctx: operator, input: { backupId: backup.backupId, mode: "replace", collectionId, confirm: name } });
    expect((await h.finished(operator, operationId, 60_000)).status).toBe("succeeded");
    const w = await windowOf(operationId);
    expect(w).toMatchObject({ collectionId, name: `RESTORE ${name}` });
    expect(w!.closedAt).not.toBeNull();
  }, 200_000);

  it("the sweeper closes an automatic window whose operation ended without closing it", async () => {
    const collectionId = await bareCollection(`swp-${randomUUID().slice(0, 6)}`);
    const [op] = await getDb().insert(operations).values({ type: "CLEAR", collectionId, status: "failed", correlationId: randomUUID(), finishedAt: new Date() }).returning();
    await getDb().insert(maintenanceWindows).values({ name: "left open", collectionId, startsAt: new Date(), operationId: op!.id });
    await waitFor(async () => (await windowOf(op!.id))?.closedAt, 20_000, "the sweeper to close the window");
  }, 60_000);

  it("a silence holds what its matchers match; expired, the alert still firing is told once", async () => {
    const { createSilence } = await import("@/lib/services/silences/create-silence");
    const { expireSilence } = await import("@/lib/services/silences/change-silence");
    const quiet = `sil-${randomUUID().slice(0, 6)}`;
    const collectionId = await bareCollection(quiet);
    const silence = await createSilence({ ctx: operator, input: { matchers: [{ label: "collection", op: "=~", value: "sil-.*" }, { label: "type", op: "=", value: "BACKUP" }], endsAt: new Date(Date.now() + 3600_000).toISOString(), comment: "moving the backup disk" } });
    expect(silence.state).toBe("active");
    await failBackup(collectionId);
    const alert = await alertOf(quiet);
    await waitFor(async () => (await getDb().select().from(heldNotifications).where(eq(heldNotifications.alertId, alert.id)))[0], 20_000, "the held notification");
    await new Promise((r) => setTimeout(r, 2000));
    expect(postsFor(quiet)).toHaveLength(0);
    await expireSilence({ ctx: operator, input: { silenceId: silence.id } });
    await waitFor(() => Promise.resolve(postsFor(quiet).length), 20_000, "the notification after the silence");
    await new Promise((r) => setTimeout(r, 3000));
    expect(postsFor(quiet)).toHaveLength(1);
  }, 120_000);
});
