import { z } from "zod";
import { getSql } from "@/db/client";
import { rangeWindow } from "@/components/charts/time-range";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { parseReadInput } from "../verb";

export const HEALTH_HISTORY_RANGES = ["24h", "7d"] as const;
const HistoryInput = z.object({ range: z.enum(HEALTH_HISTORY_RANGES).default("24h") });

/** 24 h in 10-minute buckets (144), 7 d in hours (168): what a timeline can show a dip in. */
const BUCKET_MS = { "24h": 10 * 60_000, "7d": 3_600_000 } as const;

/** Worst status of a component in a bucket: 0 healthy, 1 degraded, 2 unhealthy. */
export type ComponentStatusRow = { bucket: string; component: string; worst: number; samples: number };
export type ResourceRow = { bucket: string; rssBytes: number; heapUsedBytes: number; cpuPercent: number | null; samples: number };
export type DiskRow = { bucket: string; dir: string; freeBytes: number };

const bucketText = (interval: string) =>
  `to_char(date_bin('${interval}'::interval, at, timestamptz 'epoch') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** The Health page's history: one grouped query per chart, each bounded by its buckets. */
export async function getHealthHistory({ ctx, input, now = new Date() }: { ctx: ServiceContext; input: unknown; now?: Date }) {
  if (!can(ctx.actor.role, "health.read")) throw forbidden();
  const { range } = parseReadInput(HistoryInput, input ?? {});
  const span = rangeWindow(range, now);
  const bucketMs = BUCKET_MS[range];
  const to = new Date(Math.floor(now.getTime() / bucketMs) * bucketMs + bucketMs);
  const from = new Date(to.getTime() - (span.to.getTime() - span.from.getTime()));
  const window = { range, from, to, bucketMs, label: span.label };
  const sql = getSql();
  const bucket = sql.unsafe(bucketText(`${bucketMs / 1000} seconds`));
  const inWindow = sql`at >= ${from.toISOString()}::timestamptz and at < ${to.toISOString()}::timestamptz`;
  const [statuses, resources, disks] = await Promise.all([
    sql<ComponentStatusRow[]>`
      select ${bucket} as bucket, c.key as component, count(*)::int as samples,
             max(case c.value->>'status' when 'unhealthy' then 2 when 'degraded' then 1 else 0 end)::int as worst
      from health_samples, jsonb_each(components) c where ${inWindow} group by 1, 2 order by 1, 2`,
    sql<ResourceRow[]>`
      select ${bucket} as bucket, count(*)::int as samples, avg(rss_bytes)::float8 as "rssBytes", avg(heap_used_bytes)::float8 as "heapUsedBytes", avg(cpu_percent)::float8 as "cpuPercent"
      from health_samples where ${inWindow} group by 1 order by 1`,
    sql<DiskRow[]>`
      select ${bucket} as bucket, d.key as dir, min(d.value::float8) as "freeBytes"
      from health_samples, jsonb_each_text(disk_free) d where ${inWindow} group by 1, 2 order by 1, 2`,
  ]);
  return { window, statuses, resources, disks };
}
