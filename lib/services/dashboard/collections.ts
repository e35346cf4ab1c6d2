import { getSql } from "@/db/client";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { bucketInterval, dashboardWindow } from "./read-input";

/** The collections a size chart draws: the largest, so a console with hundreds stays readable. */
export const SIZE_CHART_COLLECTIONS = 8;
const LIST_LIMIT = 20;

export type CollectionSizeRow = { bucket: string; collectionId: string; name: string; points: number };
export type DeadLetterRow = { collectionId: string; name: string; deadLetters: number };
export type BackupAgeRow = { collectionId: string; name: string; lastBackupAt: string | null; ageS: number | null };

/** Points per collection over the range, from the health samples (each bucket's largest), for the collections largest in the range. */
export async function collectionSizes({ ctx, input, now }: { ctx: ServiceContext; input: unknown; now?: Date }) {
  const window = dashboardWindow(ctx, "health.read", input, now);
  const from = window.from.toISOString();
  const to = window.to.toISOString();
  const rows = await getSql()<CollectionSizeRow[]>`
    with samples as (
      select at, collections from health_samples where at >= ${from}::timestamptz and at < ${to}::timestamptz
    ), largest as (
      select c->>'id' as id from samples s, jsonb_array_elements(s.collections) c
      group by 1 order by max((c->>'points')::float8) desc limit ${SIZE_CHART_COLLECTIONS}
    )
    select to_char(date_bin(${bucketInterval(window)}::interval, s.at, timestamptz 'epoch') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as bucket,
           c->>'id' as "collectionId", max(c->>'name') as name, max((c->>'points')::float8) as points
    from samples s, jsonb_array_elements(s.collections) c
    where c->>'id' in (select id from largest)
    group by 1, 2 order by 1, 2`;
  return { window, rows };
}

/** Dead letters now, per collection (the most first). */
export async function deadLettersByCollection({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  return getSql()<DeadLetterRow[]>`
    select c.id as "collectionId", c.name, d.n::int as "deadLetters"
    from (select collection_id, count(*) as n from documents where stage = 'dead' group by collection_id) d
    join collections c on c.id = d.collection_id
    order by d.n desc, c.name limit ${LIST_LIMIT}`;
}

/** Each collection's latest complete backup and its age; never backed up first, then the oldest. */
export async function backupAges({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  return getSql()<BackupAgeRow[]>`
    select c.id as "collectionId", c.name,
           to_char(b.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lastBackupAt",
           extract(epoch from now() - b.at)::float8 as "ageS"
    from collections c
    left join lateral (select max(finished_at) as at from backups where collection_id = c.id and status = 'complete') b on true
    order by b.at asc nulls first, c.name limit ${LIST_LIMIT}`;
}
