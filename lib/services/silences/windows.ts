import { and, count, desc, eq, inArray, isNull, or, gt, isNotNull } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { heldNotifications, maintenanceWindows, type MaintenanceWindow } from "@/db/schema/silences";
import { can } from "@/lib/auth/rbac";
import { isOperationActive } from "@/lib/operation-status";
import { currentEnd, isActiveAt, nextStart } from "@/lib/silences/recurrence";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, forbidden, notFound, ServiceError } from "../errors";
import { authorize, parseInput, parseReadInput, withTransaction } from "../verb";
import { CreateWindowInput, ListWindowsInput, UpdateWindowInput, WindowIdInput } from "./schemas";

async function lockWindow(tx: Tx, windowId: string): Promise<MaintenanceWindow> {
  const [w] = await tx.select().from(maintenanceWindows).where(eq(maintenanceWindows.id, windowId)).for("update");
  if (!w) throw notFound("Maintenance window");
  if (w.operationId) throw conflict("This window was opened by an operation and closes when it ends; cancel the operation to end it sooner.");
  return w;
}

const auditParams = (w: MaintenanceWindow) => ({ name: w.name, collectionId: w.collectionId, startsAt: w.startsAt, endsAt: w.endsAt, recurrence: w.recurrence });

/** Plans quiet for a collection (or, with none, all of them): once, or weekly within its bounds (operators). */
export async function createMaintenanceWindow({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "silence.manage", "maintenance_window.create", input);
  const data = await parseInput(ctx, "maintenance_window.create", CreateWindowInput, input);
  return withTransaction(ctx, "maintenance_window.create", async (tx) => {
    if (data.collectionId) {
      const [c] = await tx.select({ id: collections.id }).from(collections).where(eq(collections.id, data.collectionId));
      if (!c) throw new ServiceError("invalid", "Some fields are invalid.", { collectionId: ["Unknown collection."] });
    }
    const [w] = await tx
      .insert(maintenanceWindows)
      .values({ name: data.name, collectionId: data.collectionId ?? null, startsAt: data.startsAt ?? new Date(), endsAt: data.endsAt, recurrence: data.recurrence ?? null, comment: data.comment, createdBy: ctx.actor.id })
      .returning();
    await emitAudit(tx, ctx, { action: "maintenance_window.create", target: { type: "maintenance_window", id: w!.id }, params: auditParams(w!) });
    return w!;
  });
}

/** Ends a planned window now (`end: true`) or moves its end (operators). */
export async function updateMaintenanceWindow({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "silence.manage", "maintenance_window.update", input);
  const data = await parseInput(ctx, "maintenance_window.update", UpdateWindowInput, input);
  return withTransaction(ctx, "maintenance_window.update", async (tx) => {
    const w = await lockWindow(tx, data.windowId);
    const now = new Date();
    if (w.endsAt && w.endsAt <= now) throw conflict("This window has already ended.");
    const endsAt = data.end ? now : data.endsAt!;
    if (!data.end && (endsAt <= now || endsAt <= w.startsAt)) throw new ServiceError("invalid", "Some fields are invalid.", { endsAt: ["Ends in the future, after it starts."] });
    const [updated] = await tx.update(maintenanceWindows).set({ endsAt, startsAt: w.startsAt > endsAt ? endsAt : w.startsAt, closedAt: data.end ? now : null }).where(eq(maintenanceWindows.id, w.id)).returning();
    await emitAudit(tx, ctx, { action: "maintenance_window.update", target: { type: "maintenance_window", id: w.id }, params: { ...auditParams(w), to: endsAt, ended: !!data.end } });
    return updated!;
  });
}

export async function deleteMaintenanceWindow({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "silence.manage", "maintenance_window.delete", input);
  const { windowId } = await parseInput(ctx, "maintenance_window.delete", WindowIdInput, input);
  return withTransaction(ctx, "maintenance_window.delete", async (tx) => {
    const w = await lockWindow(tx, windowId);
    await tx.delete(maintenanceWindows).where(eq(maintenanceWindows.id, windowId));
    await emitAudit(tx, ctx, { action: "maintenance_window.delete", target: { type: "maintenance_window", id: windowId }, params: auditParams(w) });
    return { deleted: windowId };
  });
}

/** Windows open now or later, and those ended in the last 7 days, with their collection, operation and what they hold. */
export async function listMaintenanceWindows({ ctx, input }: { ctx: ServiceContext; input?: unknown }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const { limit } = parseReadInput(ListWindowsInput, input ?? {});
  const now = new Date();
  const since = new Date(now.getTime() - 7 * 24 * 3600_000);
  const rows = await getDb()
    .select({ w: maintenanceWindows, collection: collections.name, operation: { id: operations.id, type: operations.type, status: operations.status } })
    .from(maintenanceWindows)
    .leftJoin(collections, eq(collections.id, maintenanceWindows.collectionId))
    .leftJoin(operations, eq(operations.id, maintenanceWindows.operationId))
    .where(or(isNull(maintenanceWindows.closedAt), gt(maintenanceWindows.closedAt, since), and(isNotNull(maintenanceWindows.endsAt), gt(maintenanceWindows.endsAt, since))))
    .orderBy(desc(maintenanceWindows.startsAt))
    .limit(limit);
  const held = rows.length ? await getDb().select({ id: heldNotifications.windowId, n: count() }).from(heldNotifications).where(and(inArray(heldNotifications.windowId, rows.map((r) => r.w.id)), isNull(heldNotifications.releasedAt))).groupBy(heldNotifications.windowId) : [];
  const heldBy = new Map(held.map((h) => [h.id, Number(h.n)]));
  return rows.map(({ w, collection, operation }) => {
    const auto = !!w.operationId;
    const active = auto ? !w.closedAt && !!operation && isOperationActive(operation.status) : !w.closedAt && isActiveAt(w, now);
    const ended = auto ? !active : !!w.closedAt || (w.endsAt !== null && w.endsAt <= now);
    return { ...w, collection, operation: operation?.id ? operation : null, automatic: auto, state: active ? "active" : ended ? "ended" : "scheduled", currentEnd: auto ? null : currentEnd(w, now), nextStart: auto ? null : nextStart(w, now), held: heldBy.get(w.id) ?? 0 };
  });
}

export async function getMaintenanceWindow({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  const { windowId } = parseReadInput(WindowIdInput, input);
  const found = (await listMaintenanceWindows({ ctx, input: { limit: 500 } })).find((w) => w.id === windowId);
  if (found) return found;
  const [w] = await getDb().select().from(maintenanceWindows).where(eq(maintenanceWindows.id, windowId));
  if (!w) throw notFound("Maintenance window");
  return w;
}
