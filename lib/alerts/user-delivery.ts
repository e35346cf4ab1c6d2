import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema/users";
import { userRecipientKey } from "./ack-link";
import { sendToChannel } from "./channels/send";
import { deliverCurrent, type NotifyInput, type NotifyOutcome } from "./delivery";

/**
 * One attempt at telling a user named by an escalation level, by email at their account address,
 * through the email channels' mailer (STEVEDORE_SMTP_URL). Logged in alert_deliveries with the user
 * and the address. Skipped when the user is gone or disabled, or every alert moved on. Alerts a silence
 * or window holds never get here: notify-channel's `holdSuppressed` records them as held, and the
 * sweep tells the user once when the hold ends.
 */
export async function deliverToUser(input: NotifyInput & { userId: string }): Promise<NotifyOutcome> {
  const [user] = await getDb().select({ id: users.id, email: users.email, disabledAt: users.disabledAt }).from(users).where(eq(users.id, input.userId));
  if (!user || user.disabledAt) return { status: "skipped", retryable: false, reason: "user gone or disabled" };
  return deliverCurrent(input, { key: userRecipientKey(user.id), send: (message) => sendToChannel({ type: "email", config: { to: [user.email] } }, message), row: { channelId: null, userId: user.id, recipient: user.email } });
}
