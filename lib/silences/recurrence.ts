import { Cron } from "croner";
import { z } from "zod";
import type { WeeklyRecurrence } from "@/db/schema/silences";

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const WeeklyRecurrenceSchema = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).min(1, { message: "Pick at least one day." }).max(7).transform((d) => [...new Set(d)].sort()),
    from: z.string().regex(HHMM, { message: "A time as HH:MM (24 h)." }),
    to: z.string().regex(HHMM, { message: "A time as HH:MM (24 h)." }),
    timezone: z.string().min(1).max(64).refine(validZone, { message: "Not a time zone (e.g. Europe/Berlin, UTC)." }),
  })
  .refine((r) => r.from !== r.to, { message: "The range ends when it starts: give two different times.", path: ["to"] });

/** A weekly time as a croner pattern on these days, e.g. "30 22 * * 1,2,3" (croner reads the time in the recurrence's zone). */
function cronAt(time: string, days: number[], timezone: string): Cron {
  const [, h, m] = HHMM.exec(time)!;
  return new Cron(`${Number(m)} ${Number(h)} * * ${days.join(",")}`, { timezone, paused: true });
}

/** A range that runs past midnight ends on the next day of each. */
const endDays = (r: WeeklyRecurrence) => (r.to > r.from ? r.days : r.days.map((d) => (d + 1) % 7));

/** The next start and end of the weekly ranges after `at`; inside a range the end comes first (DST and midnight alike). */
function nextEdges(r: WeeklyRecurrence, at: Date): { start: Date; end: Date } {
  const start = cronAt(r.from, r.days, r.timezone).nextRun(at)!;
  const end = cronAt(r.to, endDays(r), r.timezone).nextRun(at)!;
  return { start, end };
}

export type Schedule = { startsAt: Date; endsAt: Date | null; recurrence: WeeklyRecurrence | null };

/** Whether the schedule holds at `at`: inside [startsAt, endsAt) and, when recurring, inside a weekly range. */
export function isActiveAt(s: Schedule, at: Date): boolean {
  if (at < s.startsAt || (s.endsAt && at >= s.endsAt)) return false;
  if (!s.recurrence) return true;
  // At a range's first instant the next start is a week off; at its end instant the next end is.
  const { start, end } = nextEdges(s.recurrence, at);
  return end < start;
}

/** When the current stretch of quiet ends (the range's end, capped by `endsAt`), or null when not active (or open-ended). */
export function currentEnd(s: Schedule, at: Date): Date | null {
  if (!isActiveAt(s, at)) return null;
  if (!s.recurrence) return s.endsAt;
  const end = nextEdges(s.recurrence, at).end;
  return s.endsAt && s.endsAt < end ? s.endsAt : end;
}

/** When the schedule next starts holding after `at` (null if never again). */
export function nextStart(s: Schedule, at: Date): Date | null {
  if (s.endsAt && at >= s.endsAt) return null;
  if (at < s.startsAt && (!s.recurrence || isActiveAt(s, s.startsAt))) return s.startsAt;
  if (!s.recurrence) return null;
  const start = nextEdges(s.recurrence, at < s.startsAt ? s.startsAt : at).start;
  return s.endsAt && start >= s.endsAt ? null : start;
}
