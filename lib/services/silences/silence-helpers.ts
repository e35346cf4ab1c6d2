import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { silences, type Silence } from "@/db/schema/silences";
import { silenceScheduled } from "@/inngest/events";
import { inngest } from "@/inngest/client";
import { getLogger } from "@/lib/observability/logger";
import { currentEnd, isActiveAt, nextStart } from "@/lib/silences/recurrence";
import { reminderDueAt } from "@/lib/silences/reminder";
import { notFound } from "../errors";

export async function lockSilence(tx: Tx, silenceId: string): Promise<Silence> {
  const [s] = await tx.select().from(silences).where(eq(silences.id, silenceId)).for("update");
  if (!s) throw notFound("Silence");
  return s;
}

export type SilenceState = "active" | "pending" | "expired";

/** active: holding now; pending: later (a recurring one between its ranges too); expired: past its end. */
export function silenceState(s: Pick<Silence, "startsAt" | "endsAt" | "recurrence">, now = new Date()): SilenceState {
  if (s.endsAt <= now) return "expired";
  return isActiveAt(s, now) ? "active" : "pending";
}

/** A silence as lists show it: its state, when the current stretch ends and when the next starts. */
export function silenceView(s: Silence, now = new Date()) {
  return { ...s, state: silenceState(s, now), currentEnd: currentEnd(s, now), nextStart: nextStart(s, now) };
}

export const silenceAuditParams = (s: Silence) => ({ matchers: s.matchers, startsAt: s.startsAt, endsAt: s.endsAt, recurrence: s.recurrence, comment: s.comment });

/** After commit: a long silence's reminder is (re)scheduled; the id makes a repeat of the same end one run. */
export async function scheduleReminder(s: Silence): Promise<void> {
  if (!reminderDueAt(s.startsAt, s.endsAt)) return;
  await inngest
    .send({ id: `silence-${s.id}-${s.endsAt.getTime()}`, name: silenceScheduled.name, data: { silenceId: s.id, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() } })
    .catch((err) => getLogger().warn({ err, silenceId: s.id }, "silence reminder not scheduled"));
}
