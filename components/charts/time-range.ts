/** The dashboard's time ranges, and the bucket each is drawn in (bounded: at most 48 buckets). No imports: shared by server and client. */
export const DASHBOARD_RANGES = ["1h", "24h", "7d", "30d"] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

const HOUR = 3_600_000;
const SPEC: Record<DashboardRange, { spanMs: number; bucketMs: number; label: string }> = {
  "1h": { spanMs: HOUR, bucketMs: 5 * 60_000, label: "1 hour" },
  "24h": { spanMs: 24 * HOUR, bucketMs: HOUR, label: "24 hours" },
  "7d": { spanMs: 7 * 24 * HOUR, bucketMs: 6 * HOUR, label: "7 days" },
  "30d": { spanMs: 30 * 24 * HOUR, bucketMs: 24 * HOUR, label: "30 days" },
};

export type RangeWindow = { range: DashboardRange; from: Date; to: Date; bucketMs: number; label: string };

/** Anything but a known range (a typo in the URL) reads as 24 h. */
export function parseRange(value: unknown): DashboardRange {
  return typeof value === "string" && (DASHBOARD_RANGES as readonly string[]).includes(value) ? (value as DashboardRange) : "24h";
}

/**
 * The window ending at `now`, its start aligned to a bucket boundary (epoch-aligned, as SQL date_bin
 * with origin 'epoch'), so every bucket is whole and the same range always draws the same buckets.
 */
export function rangeWindow(range: DashboardRange, now: Date = new Date()): RangeWindow {
  const { spanMs, bucketMs, label } = SPEC[range];
  const end = Math.floor(now.getTime() / bucketMs) * bucketMs + bucketMs;
  return { range, from: new Date(end - spanMs), to: new Date(end), bucketMs, label };
}

/** Every bucket start in the window, oldest first: charts show empty buckets as zero, not as a gap closed up. */
export function bucketStarts(window: Pick<RangeWindow, "from" | "to" | "bucketMs">): Date[] {
  const starts: Date[] = [];
  for (let t = window.from.getTime(); t < window.to.getTime(); t += window.bucketMs) starts.push(new Date(t));
  return starts;
}
