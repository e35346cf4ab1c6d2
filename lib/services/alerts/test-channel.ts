import { randomUUID } from "node:crypto";
import { deliverOnce } from "@/lib/alerts/delivery";
import { testMessage } from "@/lib/alerts/message";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { authorize, parseInput, withTransaction } from "../verb";
import { lockChannel } from "./channel-helpers";
import { ChannelIdInput } from "./channel-schemas";

/**
 * "Send test" (admins): one test notification through the channel now, without retries, logged in
 * its delivery log like any other. The audit entry records the request; the log records the outcome.
 */
export async function sendTestNotification({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "channel.test", input);
  const { channelId } = await parseInput(ctx, "channel.test", ChannelIdInput, input);
  const channel = await withTransaction(ctx, "channel.test", async (tx) => {
    const found = await lockChannel(tx, channelId);
    await emitAudit(tx, ctx, { action: "channel.test", target: { type: "notification_channel", id: channelId }, params: { name: found.name, type: found.type } });
    return found;
  });
  const { result, delivery } = await deliverOnce(channel, testMessage(channel.name), { alertId: null, notificationKey: `test-${randomUUID()}`, kind: "test" });
  return { ok: result.ok, responseCode: result.responseCode, latencyMs: result.latencyMs, error: result.error, deliveryId: delivery.id };
}
