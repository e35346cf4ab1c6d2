/** "in 1 h 20 min", "3 min ago": an end an operator reads at a glance (the exact UTC time goes in a title). */
export function relativeTime(to: Date | string | null, now = new Date()): string {
  if (!to) return "when its operation ends";
  const ms = new Date(to).getTime() - now.getTime();
  const abs = Math.abs(ms);
  const min = Math.round(abs / 60_000);
  const text = min < 1 ? "less than a minute" : min < 60 ? `${min} min` : min < 48 * 60 ? `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ""}` : `${Math.round(min / 1440)} days`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

export const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export const describeRecurrence = (r: { days: number[]; from: string; to: string; timezone: string } | null) => (r ? `${r.days.map((d) => DAY_NAMES[d]).join(", ")} ${r.from}–${r.to} ${r.timezone}` : "once");
