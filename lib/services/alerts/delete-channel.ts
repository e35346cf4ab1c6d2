import { eq, sql } from "drizzle-orm";
import { alertRules, notificationChannels } from "@/db/schema/alerts";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { authorize, parseInput, withTransaction } from "../verb";
import { channelAuditParams, lockChannel } from "./channel-helpers";
import { ChannelIdInput } from "./channel-schemas";

/** Deletes a channel and its delivery log (admins), and takes it off every rule that named it. */
export async function deleteChannel({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "channel.delete", input);
  const { channelId } = await parseInput(ctx, "channel.delete", ChannelIdInput, input);
  return withTransaction(ctx, "channel.delete", async (tx) => {
    const channel = await lockChannel(tx, channelId);
    const rules = await tx
      .update(alertRules)
      .set({ channelIds: sql`${alertRules.channelIds} - ${channelId}::text` })
      .where(sql`${alertRules.channelIds} ? ${channelId}`)
      .returning({ id: alertRules.id });
    await tx.delete(notificationChannels).where(eq(notificationChannels.id, channelId));
    await emitAudit(tx, ctx, { action: "channel.delete", target: { type: "notification_channel", id: channelId }, params: { ...channelAuditParams(channel), rules: rules.map((r) => r.id) } });
    return { deleted: channelId, rulesChanged: rules.length };
  });
}
