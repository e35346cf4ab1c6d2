import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { notificationChannels, type NotificationChannel, type WebhookChannelConfig } from "@/db/schema/alerts";
import { conflict, notFound } from "../errors";

export async function lockChannel(tx: Tx, channelId: string): Promise<NotificationChannel> {
  const [channel] = await tx.select().from(notificationChannels).where(eq(notificationChannels.id, channelId)).for("update");
  if (!channel) throw notFound("The channel");
  return channel;
}

export async function assertChannelNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const [other] = await tx.select({ id: notificationChannels.id }).from(notificationChannels).where(eq(notificationChannels.name, name));
  if (other && other.id !== exceptId) throw conflict("A channel with this name exists.", { name: ["Another channel has this name."] });
}

/** A channel as lists show it: a webhook's secret never leaves the server after it was created. */
export function publicChannel(channel: NotificationChannel) {
  if (channel.type !== "webhook") return channel;
  const { secret, ...rest } = channel.config as WebhookChannelConfig;
  return { ...channel, config: { ...rest, secret: `${secret.slice(0, 4)}…` } };
}

/** What the audit entry keeps of a channel: where it sends, never its secret. */
export const channelAuditParams = (c: Pick<NotificationChannel, "name" | "type" | "config" | "enabled">) => {
  const config = c.config as Record<string, unknown>;
  return { name: c.name, type: c.type, enabled: c.enabled, ...(config.to ? { to: config.to } : {}), ...(config.url ? { url: config.url } : {}) };
};
