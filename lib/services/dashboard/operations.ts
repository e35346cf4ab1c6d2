import { getSql } from "@/db/client";
import type { ServiceContext } from "../context";
import { bucketInterval, dashboardWindow, LONGEST_OPERATION } from "./read-input";

export type StatusCountRow = { bucket: string; status: string; count: number };
export type DurationRow = { type: string; count: number; p50Ms: number; p95Ms: number };
export type ThroughputRow = { bucket: string; chunks: number; documents: number };

/** Operations created in each bucket of the range, by status: one grouped query over operations_created_idx. */
export async function operationsByStatus({ ctx, input, now }: { ctx: ServiceContext; input: unknown; now?: Date }) {
  const window = dashboardWindow(ctx, "operation.read", input, now);
  const rows = await getSql()<StatusCountRow[]>`
    select to_char(date_bin(${bucketInterval(window)}::interval, created_at, timestamptz 'epoch') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as bucket,
           status, count(*)::int as count
    from operations
    where created_at >= ${window.from.toISOString()}::timestamptz and created_at < ${window.to.toISOString()}::timestamptz
    group by 1, 2 order by 1, 2`;
  return { window, rows };
}

/** p50 and p95 of the duration of operations finished in the range, per type. */
export async function durationPercentiles({ ctx, input, now }: { ctx: ServiceContext; input: unknown; now?: Date }) {
  const window = dashboardWindow(ctx, "operation.read", input, now);
  const rows = await getSql()<DurationRow[]>`
    select o.type, count(*)::int as count,
           percentile_cont(0.5) within group (order by m.duration_ms)::float8 as "p50Ms",
           percentile_cont(0.95) within group (order by m.duration_ms)::float8 as "p95Ms"
    from operations o join operation_metrics m on m.operation_id = o.id
    where o.created_at >= ${window.from.toISOString()}::timestamptz - ${LONGEST_OPERATION}::interval
      and o.finished_at >= ${window.from.toISOString()}::timestamptz and o.finished_at < ${window.to.toISOString()}::timestamptz
      and m.duration_ms is not null
    group by o.type order by o.type`;
  return { window, rows };
}

/** Chunks and documents stored by ingesting operations (INDEX, APPEND, REINDEX, RESTORE), by the bucket they finished in. */
export async function ingestionThroughput({ ctx, input, now }: { ctx: ServiceContext; input: unknown; now?: Date }) {
  const window = dashboardWindow(ctx, "operation.read", input, now);
  const rows = await getSql()<ThroughputRow[]>`
    select to_char(date_bin(${bucketInterval(window)}::interval, o.finished_at, timestamptz 'epoch') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as bucket,
           coalesce(sum(m.chunks), 0)::float8 as chunks, coalesce(sum(m.documents), 0)::float8 as documents
    from operations o join operation_metrics m on m.operation_id = o.id
    where o.type in ('INDEX', 'APPEND', 'REINDEX', 'RESTORE')
      and o.created_at >= ${window.from.toISOString()}::timestamptz - ${LONGEST_OPERATION}::interval
      and o.finished_at >= ${window.from.toISOString()}::timestamptz and o.finished_at < ${window.to.toISOString()}::timestamptz
    group by 1 order by 1`;
  return { window, rows };
}
