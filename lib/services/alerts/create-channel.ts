import { randomBytes } from "node:crypto";
import { notificationChannels, type ChannelConfig } from "@/db/schema/alerts";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { authorize, parseInput, withTransaction } from "../verb";
import { assertChannelNameFree, channelAuditParams } from "./channel-helpers";
import { CreateChannelInput } from "./channel-schemas";

/** Adds a notification channel (admins). A webhook's secret is returned here, once: receivers verify with it. */
export async function createChannel({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "channel.create", input);
  const data = await parseInput(ctx, "channel.create", CreateChannelInput, input);
  const config: ChannelConfig = data.type === "email" ? { to: data.to } : data.type === "slack" ? { url: data.url } : { url: data.url, secret: data.secret ?? randomBytes(32).toString("hex") };
  return withTransaction(ctx, "channel.create", async (tx) => {
    await assertChannelNameFree(tx, data.name);
    const [channel] = await tx.insert(notificationChannels).values({ name: data.name, type: data.type, config, enabled: data.enabled, createdBy: ctx.actor.id }).returning();
    await emitAudit(tx, ctx, { action: "channel.create", target: { type: "notification_channel", id: channel!.id }, params: channelAuditParams(channel!) });
    return channel!;
  });
}
