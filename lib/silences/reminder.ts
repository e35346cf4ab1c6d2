import { eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { notificationChannels, type NotificationChannel } from "@/db/schema/alerts";
import { silences, type SilenceReminder } from "@/db/schema/silences";
import { sendToChannel } from "@/lib/alerts/channels/send";
import { env } from "@/lib/env";
import { describeMatcher } from "./matchers";

/** A silence longer than this is easy to forget: 30 min before it ends, its channels and creator are reminded. */
export const LONG_SILENCE_MS = 4 * 3600_000;
export const REMIND_BEFORE_MS = 30 * 60_000;

/** When the reminder of a silence ending at `endsAt` is due, or null for a short one. */
export function reminderDueAt(startsAt: Date, endsAt: Date): Date | null {
  return endsAt.getTime() - startsAt.getTime() > LONG_SILENCE_MS ? new Date(endsAt.getTime() - REMIND_BEFORE_MS) : null;
}

const consoleUrl = () => (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");

/**
 * Sends the reminder if the silence still exists, still ends at `endsAt` (an extension scheduled
 * its own) and was not reminded for that end: to its channels and, by email, its creator, through
 * the channels' own senders. Recorded on the silence, so a repeated step does not remind twice.
 */
export async function remindSilence(silenceId: string, endsAt: string): Promise<{ sent: boolean; reason?: string; deliveries?: SilenceReminder["deliveries"] }> {
  const db = getDb();
  const [s] = await db.select().from(silences).where(eq(silences.id, silenceId));
  if (!s) return { sent: false, reason: "silence deleted" };
  if (s.endsAt.toISOString() !== new Date(endsAt).toISOString()) return { sent: false, reason: "its end moved" };
  if (s.endsAt <= new Date()) return { sent: false, reason: "already ended" };
  if (s.reminder?.forEndsAt === s.endsAt.toISOString()) return { sent: false, reason: "already reminded" };
  const channels: NotificationChannel[] = s.reminderChannelIds.length ? await db.select().from(notificationChannels).where(inArray(notificationChannels.id, s.reminderChannelIds)) : [];
  const creator = { id: "creator", name: s.createdByEmail, type: "email", config: { to: [s.createdByEmail] }, enabled: true } as NotificationChannel;
  const what = s.matchers.map(describeMatcher).join(", ");
  const minutes = Math.max(1, Math.round((s.endsAt.getTime() - Date.now()) / 60_000));
  const text = `The silence "${s.comment}" (${what}) ends in ${minutes} min, at ${s.endsAt.toISOString()}. Extend it if the work is not done: ${consoleUrl()}/alerts/silences`;
  const message = { subject: `[SILENCE ENDING] ${s.comment}`.slice(0, 200), text, payload: { version: 1, kind: "silence-reminder", silence: { id: s.id, comment: s.comment, matchers: s.matchers, endsAt: s.endsAt }, text } };
  const deliveries: SilenceReminder["deliveries"] = [];
  for (const channel of [...channels.filter((c) => c.enabled), creator]) {
    const r = await sendToChannel(channel, message);
    deliveries.push({ to: channel.name, ok: r.ok, responseCode: r.responseCode, error: r.error });
  }
  await db.update(silences).set({ reminder: { sentAt: new Date().toISOString(), forEndsAt: s.endsAt.toISOString(), deliveries } }).where(eq(silences.id, silenceId));
  return { sent: true, deliveries };
}
