import { eq } from "drizzle-orm";
import { notificationChannels, type ChannelConfig } from "@/db/schema/alerts";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { assertChannelNameFree, channelAuditParams, lockChannel, publicChannel } from "./channel-helpers";
import { UpdateChannelInput } from "./channel-schemas";

/** Changes a channel's name, state or address (admins); a field of another type's channel is refused on that field. */
export async function updateChannel({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "channel.update", input);
  const data = await parseInput(ctx, "channel.update", UpdateChannelInput, input);
  return withTransaction(ctx, "channel.update", async (tx) => {
    const before = await lockChannel(tx, data.channelId);
    const foreign = (["to", "url", "secret"] as const).filter((f) => data[f] !== undefined && !(before.type === "email" ? f === "to" : before.type === "slack" ? f === "url" : f !== "to"));
    if (foreign.length) throw new ServiceError("invalid", "Some fields are invalid.", Object.fromEntries(foreign.map((f) => [f, [`A ${before.type} channel has no ${f}.`]])));
    if (data.name !== undefined) await assertChannelNameFree(tx, data.name, before.id);
    const config = { ...(before.config as Record<string, unknown>), ...(data.to ? { to: data.to } : {}), ...(data.url ? { url: data.url } : {}), ...(data.secret ? { secret: data.secret } : {}) } as ChannelConfig;
    const [channel] = await tx
      .update(notificationChannels)
      .set({ config, ...(data.name !== undefined ? { name: data.name } : {}), ...(data.enabled !== undefined ? { enabled: data.enabled } : {}), updatedAt: new Date() })
      .where(eq(notificationChannels.id, before.id))
      .returning();
    await emitAudit(tx, ctx, { action: "channel.update", target: { type: "notification_channel", id: before.id }, params: { from: channelAuditParams(before), to: channelAuditParams(channel!), ...(data.secret ? { secretChanged: true } : {}) } });
    return publicChannel(channel!);
  });
}
