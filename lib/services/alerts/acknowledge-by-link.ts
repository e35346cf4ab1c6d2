import { eq } from "drizzle-orm";
import { notificationChannels } from "@/db/schema/alerts";
import { users } from "@/db/schema/users";
import { userOfRecipientKey, verifyAckToken } from "@/lib/alerts/ack-link";
import { emitAudit, emitAuditNow } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { parseInput, withTransaction } from "../verb";
import { AckByLinkInput } from "./alert-schemas";
import { lockAlert, markAcknowledged, sendAcknowledged } from "./alert-transitions";

/**
 * Acknowledges from the signed link in a notification, without a session: the token, not a role,
 * is the permission, and only for the firing it was sent about. Audited as the link's channel (or user).
 */
export async function acknowledgeAlertByLink({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  const { alertId, token, reason } = await parseInput(ctx, "alert.acknowledge", AckByLinkInput, input);
  const verdict = verifyAckToken(alertId, token);
  if (!verdict.ok) {
    await emitAuditNow(ctx, { action: "alert.acknowledge", target: { type: "alert", id: alertId }, outcome: "denied", error: `ack link ${verdict.reason}` });
    throw new ServiceError("forbidden", verdict.reason === "expired" ? "This link has expired: acknowledge from the console." : "This link is not valid.");
  }
  const alert = await withTransaction(ctx, "alert.acknowledge", async (tx) => {
    const { alert, rule } = await lockAlert(tx, alertId);
    if (alert.fireCount !== verdict.fireCount) throw new ServiceError("conflict", "This link was for an earlier firing of the alert.");
    // Named as the operator knows the channel or user; one deleted since is named by its id.
    const userId = userOfRecipientKey(verdict.channelId);
    let by: string;
    if (userId) {
      const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
      by = user ? `the link emailed to ${user.email}` : `link emailed to user ${userId}`;
    } else {
      const [channel] = await tx.select({ name: notificationChannels.name }).from(notificationChannels).where(eq(notificationChannels.id, verdict.channelId));
      by = channel ? `the link sent to “${channel.name}”` : `link sent to channel ${verdict.channelId}`;
    }
    const acked = await markAcknowledged(tx, alert, by, reason || "Acknowledged from the notification link.");
    const via = userId ? { userId } : { channelId: verdict.channelId };
    await emitAudit(tx, ctx, { action: "alert.acknowledge", target: { type: "alert", id: alertId }, params: { rule: rule.name, labels: alert.labels, via: "link", ...via, reason: acked.ackReason } });
    return acked;
  });
  await sendAcknowledged(ctx, alert, alert.acknowledgedBy ?? "link");
  return alert;
}
