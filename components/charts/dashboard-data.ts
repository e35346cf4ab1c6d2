import { bucketStarts, type RangeWindow } from "./time-range";

/** Pure shaping of the dashboard's SQL rows into what its charts draw; no imports beyond the range. */

type Window = Pick<RangeWindow, "from" | "to" | "bucketMs">;
/** Dates as ISO strings or Dates (server data handed to a client component arrives as strings). */
export type WindowLike = { from: Date | string; to: Date | string; bucketMs: number };

export const toWindow = (w: WindowLike): Window => ({ from: new Date(w.from), to: new Date(w.to), bucketMs: w.bucketMs });

/** The statuses drawn as stacked bars, bottom first, with their theme colour. */
export const STATUS_SERIES = [
  { key: "succeeded", color: "var(--success)" },
  { key: "failed", color: "var(--destructive)" },
  { key: "cancelled", color: "var(--muted-foreground)" },
  { key: "running", color: "var(--primary)" },
  { key: "queued", color: "var(--warning)" },
  { key: "waiting", color: "oklch(0.62 0.12 300)" },
] as const;
export type StatusKey = (typeof STATUS_SERIES)[number]["key"];

/** Colours for a handful of series (collections, disks), readable on light and dark cards alike. */
export const SERIES_COLORS = ["var(--primary)", "var(--success)", "var(--warning)", "var(--destructive)", "oklch(0.62 0.12 300)", "oklch(0.65 0.11 200)", "oklch(0.6 0.13 40)", "var(--muted-foreground)"];

export type Bucket = { bucket: string; from: string; to: string };
export type StatusBucket = Bucket & Record<StatusKey, number> & { total: number };

function buckets(w: Window): Bucket[] {
  return bucketStarts(w).map((start) => ({ bucket: start.toISOString(), from: start.toISOString(), to: new Date(start.getTime() + w.bucketMs).toISOString() }));
}

const isoOf = (bucket: string) => new Date(bucket).toISOString();

/** Every bucket of the window, with each status's count (0 where none). */
export function shapeStatusBuckets(w: Window, rows: { bucket: string; status: string; count: number }[]): StatusBucket[] {
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const key = isoOf(r.bucket);
    const byStatus = counts.get(key) ?? new Map<string, number>();
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + Number(r.count));
    counts.set(key, byStatus);
  }
  return buckets(w).map((b) => {
    const byStatus = counts.get(b.bucket);
    const entry = { ...b, total: 0 } as StatusBucket;
    for (const { key } of STATUS_SERIES) {
      entry[key] = byStatus?.get(key) ?? 0;
      entry.total += entry[key];
    }
    return entry;
  });
}

export type ErrorRatePoint = Bucket & { rate: number | null; failed: number; finished: number };

/** Failed among the finished (succeeded, failed), per bucket; null where none finished (no rate, not 0 %). */
export function errorRate(statusBuckets: StatusBucket[]): ErrorRatePoint[] {
  return statusBuckets.map(({ bucket, from, to, failed, succeeded }) => {
    const finished = failed + succeeded;
    return { bucket, from, to, failed, finished, rate: finished === 0 ? null : Math.round((failed / finished) * 1000) / 10 };
  });
}

export type ThroughputPoint = Bucket & { chunksPerMin: number; chunks: number };

/** Chunks stored per minute, averaged over each bucket. */
export function shapeThroughput(w: Window, rows: { bucket: string; chunks: number }[]): ThroughputPoint[] {
  const byBucket = new Map(rows.map((r) => [isoOf(r.bucket), Number(r.chunks)]));
  const minutes = w.bucketMs / 60_000;
  return buckets(w).map((b) => {
    const chunks = byBucket.get(b.bucket) ?? 0;
    return { ...b, chunks, chunksPerMin: Math.round((chunks / minutes) * 10) / 10 };
  });
}

export type DurationBar = { type: string; count: number; p50S: number; p95S: number };

/** Durations in seconds (one decimal), the slowest p95 first. */
export function shapeDurations(rows: { type: string; count: number; p50Ms: number; p95Ms: number }[]): DurationBar[] {
  const s = (ms: number) => Math.round(Number(ms) / 100) / 10;
  return rows.map((r) => ({ type: r.type, count: Number(r.count), p50S: s(r.p50Ms), p95S: s(r.p95Ms) })).sort((a, b) => b.p95S - a.p95S || a.type.localeCompare(b.type));
}

export type Series = { key: string; name: string; color: string };
export type SeriesPoint = Bucket & Record<string, number | null | string>;

/**
 * Rows of (bucket, series, value) as one point per bucket with a field per series; a series with no
 * value in a bucket (no sample then) is null, which the line chart draws as a gap.
 */
export function pivotSeries(w: Window, rows: { bucket: string; key: string; name: string; value: number }[]): { series: Series[]; points: SeriesPoint[] } {
  const names = new Map<string, string>();
  const values = new Map<string, number>();
  for (const r of rows) {
    names.set(r.key, r.name);
    values.set(`${isoOf(r.bucket)}|${r.key}`, Number(r.value));
  }
  const series = [...names.entries()].sort((a, b) => a[1].localeCompare(b[1])).map(([key, name], i) => ({ key, name, color: SERIES_COLORS[i % SERIES_COLORS.length]! }));
  const points = buckets(w).map((b) => {
    const point: SeriesPoint = { ...b };
    for (const s of series) point[s.key] = values.get(`${b.bucket}|${s.key}`) ?? null;
    return point;
  });
  return { series, points };
}

export type OperationsFilter = { status?: string; type?: string; collectionId?: string; from?: string; to?: string };

/** The operations list filtered as a chart point says (from/to as ISO strings). */
export function operationsLink(filter: OperationsFilter): string {
  const params = new URLSearchParams();
  for (const key of ["status", "type", "collectionId", "from", "to"] as const) if (filter[key]) params.set(key, filter[key]);
  const query = params.toString();
  return query ? `/operations?${query}` : "/operations";
}

/** A bucket's label on the axis, in UTC: the time for a range within a day, the date (and time, for buckets under a day) beyond. */
export function bucketLabel(bucket: string, bucketMs: number, spanMs: number = bucketMs * 24): string {
  const iso = new Date(bucket).toISOString();
  const date = iso.slice(5, 10);
  const hhmm = iso.slice(11, 16);
  if (bucketMs >= 86_400_000) return date;
  return spanMs > 86_400_000 ? `${date} ${hhmm}` : hhmm;
}

/** Seconds as the largest sensible unit: "45 s", "12 min", "5 h", "3 d". */
export function formatAge(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** Bytes as B, KiB, MiB, GiB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}

export const HEALTH_LEVELS = ["healthy", "degraded", "unhealthy"] as const;

export type TimelineRow = { component: string; cells: ({ bucket: string; level: (typeof HEALTH_LEVELS)[number] } | { bucket: string; level: null })[] };

/** Per component, its worst status in each bucket (null: no sample then), components in name order. */
export function shapeTimeline(w: Window, rows: { bucket: string; component: string; worst: number }[]): TimelineRow[] {
  const worst = new Map<string, number>();
  const components = new Set<string>();
  for (const r of rows) {
    components.add(r.component);
    worst.set(`${isoOf(r.bucket)}|${r.component}`, Number(r.worst));
  }
  const all = buckets(w);
  return [...components].sort().map((component) => ({
    component,
    cells: all.map(({ bucket }) => {
      const level = worst.get(`${bucket}|${component}`);
      return level === undefined ? { bucket, level: null } : { bucket, level: HEALTH_LEVELS[Math.min(2, Math.max(0, level))]! };
    }),
  }));
}
