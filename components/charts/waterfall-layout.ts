export type TimedItem = { key: string; label: string; start: number; end: number | null; status: string };
export type WaterfallBar = TimedItem & { offsetPct: number; widthPct: number; durationMs: number | null };

/**
 * Places each item on a shared time axis from the earliest start to the latest end (or `now` for
 * items still open). Bars get at least 0.5% width so an instant step stays visible.
 */
export function layoutWaterfall(items: TimedItem[], now: number): { bars: WaterfallBar[]; totalMs: number } {
  if (items.length === 0) return { bars: [], totalMs: 0 };
  const origin = Math.min(...items.map((i) => i.start));
  const finish = Math.max(...items.map((i) => i.end ?? now));
  const totalMs = Math.max(finish - origin, 1);
  const bars = items.map((item) => {
    const end = item.end ?? now;
    const offsetPct = ((item.start - origin) / totalMs) * 100;
    const widthPct = Math.max(((end - item.start) / totalMs) * 100, 0.5);
    return { ...item, offsetPct, widthPct: Math.min(widthPct, 100 - offsetPct), durationMs: item.end === null ? null : item.end - item.start };
  });
  return { bars, totalMs };
}
