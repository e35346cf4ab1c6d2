import { eq } from "drizzle-orm";
import { silences } from "@/db/schema/silences";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, ServiceError } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { lockSilence, scheduleReminder, silenceAuditParams, silenceView } from "./silence-helpers";
import { ExtendSilenceInput, SilenceIdInput } from "./schemas";

/** Ends a silence now (operators); kept for the record. What it held is told at the next evaluation if still true. */
export async function expireSilence({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "silence.manage", "silence.expire", input);
  const { silenceId } = await parseInput(ctx, "silence.expire", SilenceIdInput, input);
  const silence = await withTransaction(ctx, "silence.expire", async (tx) => {
    const s = await lockSilence(tx, silenceId);
    const now = new Date();
    if (s.endsAt <= now) throw conflict("This silence has already ended.");
    const [updated] = await tx.update(silences).set({ endsAt: now, startsAt: s.startsAt > now ? now : s.startsAt, expiredBy: ctx.actor.email }).where(eq(silences.id, silenceId)).returning();
    await emitAudit(tx, ctx, { action: "silence.expire", target: { type: "silence", id: silenceId }, params: { ...silenceAuditParams(s), endedAt: now } });
    return updated!;
  });
  return silenceView(silence);
}

/** Moves a silence's end (operators): later to extend it, earlier to shorten it; its reminder follows the new end. */
export async function extendSilence({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "silence.manage", "silence.extend", input);
  const { silenceId, endsAt } = await parseInput(ctx, "silence.extend", ExtendSilenceInput, input);
  const silence = await withTransaction(ctx, "silence.extend", async (tx) => {
    const s = await lockSilence(tx, silenceId);
    if (s.expiredBy) throw conflict("This silence was expired; create a new one.");
    if (endsAt <= new Date() || endsAt <= s.startsAt) throw new ServiceError("invalid", "Some fields are invalid.", { endsAt: ["Ends in the future, after it starts."] });
    const [updated] = await tx.update(silences).set({ endsAt }).where(eq(silences.id, silenceId)).returning();
    await emitAudit(tx, ctx, { action: "silence.extend", target: { type: "silence", id: silenceId }, params: { from: s.endsAt, to: endsAt } });
    return updated!;
  });
  await scheduleReminder(silence);
  return silenceView(silence);
}

/** Deletes a silence outright (operators); the audit entry keeps what it was. */
export async function deleteSilence({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "silence.manage", "silence.delete", input);
  const { silenceId } = await parseInput(ctx, "silence.delete", SilenceIdInput, input);
  return withTransaction(ctx, "silence.delete", async (tx) => {
    const s = await lockSilence(tx, silenceId);
    await tx.delete(silences).where(eq(silences.id, silenceId));
    await emitAudit(tx, ctx, { action: "silence.delete", target: { type: "silence", id: silenceId }, params: silenceAuditParams(s) });
    return { deleted: silenceId };
  });
}
