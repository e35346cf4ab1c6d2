import { inArray } from "drizzle-orm";
import { notificationChannels } from "@/db/schema/alerts";
import { silences } from "@/db/schema/silences";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { scheduleReminder, silenceAuditParams, silenceView } from "./silence-helpers";
import { CreateSilenceInput } from "./schemas";

/** Silences the alerts its matchers match, from now (or `startsAt`) to `endsAt`, optionally only in weekly ranges (operators). */
export async function createSilence({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "silence.manage", "silence.create", input);
  const data = await parseInput(ctx, "silence.create", CreateSilenceInput, input);
  const silence = await withTransaction(ctx, "silence.create", async (tx) => {
    if (data.reminderChannelIds.length) {
      const found = await tx.select({ id: notificationChannels.id }).from(notificationChannels).where(inArray(notificationChannels.id, data.reminderChannelIds));
      if (found.length !== new Set(data.reminderChannelIds).size) throw new ServiceError("invalid", "Some fields are invalid.", { reminderChannelIds: ["Unknown channel."] });
    }
    const [s] = await tx
      .insert(silences)
      .values({ matchers: data.matchers, startsAt: data.startsAt ?? new Date(), endsAt: data.endsAt, recurrence: data.recurrence ?? null, comment: data.comment, reminderChannelIds: data.reminderChannelIds, createdBy: ctx.actor.id, createdByEmail: ctx.actor.email })
      .returning();
    await emitAudit(tx, ctx, { action: "silence.create", target: { type: "silence", id: s!.id }, params: silenceAuditParams(s!) });
    return s!;
  });
  await scheduleReminder(silence);
  return silenceView(silence);
}
