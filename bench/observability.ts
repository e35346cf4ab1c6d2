import { randomUUID } from "node:crypto";
import { closeDb, getSql } from "@/db/client";
import type { ServiceContext } from "@/lib/services/context";
import { countOperations, listOperations } from "@/lib/services/operation/list";
import { measureMetrics } from "./observability-metrics";
import { benchDatabase, medianMs, round, timeMs } from "./harness";

const OPERATIONS = Number(process.env.BENCH_OPERATIONS ?? 10_000_000);
const CHUNK = 1_000_000;
const TARGET_MS = 200;
const log = (line: string) => process.stderr.write(`observability: ${line}\n`);

/**
 * Seeds `rows` operations numbered from `from`: a year of history (two rows per 6 s, so timestamps
 * repeat), 9 types, 85 % succeeded / 8 % failed / 7 % cancelled, the newest 60 under way, 100
 * collections, 20 users and the system, five kinds of error text; pseudo-random, by independent hashes of g.
 */
async function seedChunk(from: number, rows: number) {
  await getSql()`
    with u as (select array_agg(id order by email) as ids from users where email like '%@bench.test'),
         c as (select array_agg(id order by name) as ids from collections where name like 'bench-%'),
         g as (select g, abs(hashint8extended(g, 1)) % 1000 as r, abs(hashint8extended(g, 2)) % 1000 as s, abs(hashint8extended(g, 3)) as h, abs(hashint8extended(g, 4)) as k from generate_series(${from}::bigint, ${from + rows - 1}::bigint) g),
         t as (
           select g, r, s, h, k,
             case when r < 400 then 'APPEND' when r < 550 then 'INDEX' when r < 650 then 'REINDEX' when r < 750 then 'SELF_TEST' when r < 800 then 'REMOVE_SOURCE'
                  when r < 920 then 'BACKUP' when r < 950 then 'RESTORE' when r < 980 then 'ROLLBACK' else 'CLEAR' end as type,
             case when g > ${OPERATIONS - 60} then (array['running','queued','waiting'])[(1 + g % 3)::int]
                  when s < 850 then 'succeeded' when s < 930 then 'failed' else 'cancelled' end as status
           from g)
    insert into operations (type, collection_id, status, result, error, requested_by, correlation_id, created_at, updated_at, started_at, finished_at)
    select t.type,
           case when t.type = 'SELF_TEST' then null else c.ids[(1 + t.h % 100)::int] end,
           t.status,
           case when t.status = 'succeeded' and t.type in ('INDEX', 'APPEND') and t.s < 60 then jsonb_build_object('outcome', 'succeeded_with_failures', 'failedShare', 0.1)
                when t.status = 'succeeded' then jsonb_build_object('outcome', 'succeeded')
                when t.status = 'failed' and t.type = 'REINDEX' and t.g % 2 = 0 then jsonb_build_object('outcome', 'rejected') end,
           case when t.status = 'failed' then (array[
                  'Embedding service unavailable (HTTP 503) after 5 attempts; batch ' || (t.g % 977),
                  'Validation gate "recall" failed: 0.' || (50 + t.g % 40) || ' < 0.90',
                  'Not enough disk: needs ' || (t.g % 90 + 10) || ' GB, ' || (t.g % 9 + 1) || ' GB free',
                  'Source folder /srv/docs/team-' || (t.g % 300) || ' is outside the allowed source roots',
                  'Internal error (reference ' || md5(t.g::text) || ')'])[(1 + t.g % 5)::int]
                when t.status = 'cancelled' then 'Cancelled by user' || (t.g % 20) || '@bench.test' end,
           case when t.k % 10 = 0 then null else u.ids[(1 + (t.k / 10) % 20)::int] end,
           md5(t.g::text),
           ts, ts, ts + interval '1 second',
           case when t.status in ('succeeded', 'failed', 'cancelled') then ts + (t.g % 600) * interval '1 second' end
    from t, u, c, lateral (select now() - ((${OPERATIONS} - t.g) / 2) * interval '6 seconds' as ts) at`;
}

/** The users, collections and OPERATIONS operations, indexed and analysed. */
export async function seedOperations() {
  const sql = getSql();
  await sql`insert into users (email, name, password_hash, role) select 'user' || i || '@bench.test', 'User ' || i, 'x', 'operator' from generate_series(0, 19) i`;
  await sql`insert into collections (name, embedding_model, dimension, chunk_size, chunk_overlap, vector_backend, status)
    select 'bench-' || lpad(i::text, 3, '0'), 'builtin-hash', 256, 400, 40, 'lancedb', 'ready' from generate_series(0, 99) i`;
  // Built after the rows, as a restore would: one sort per index instead of 10M inserts into each.
  const indexes = await sql<{ name: string; def: string }[]>`select indexname as name, indexdef as def from pg_indexes where tablename = 'operations' and indexname <> 'operations_pkey'`;
  for (const { name } of indexes) await sql.unsafe(`drop index "${name}"`);
  for (let from = 1; from <= OPERATIONS; from += CHUNK) {
    await seedChunk(from, Math.min(CHUNK, OPERATIONS - from + 1));
    log(`${Math.min(from + CHUNK - 1, OPERATIONS).toLocaleString("en-US")} rows`);
  }
  const one = await sql.reserve();
  try {
    await one`set maintenance_work_mem = '1GB'`;
    for (const { name, def } of indexes) {
      await one.unsafe(def);
      log(`index ${name}`);
    }
  } finally {
    one.release();
  }
  await sql`vacuum (analyze) operations`;
  await sql`analyze users, collections`;
}

/**
 * The job history at 10,000,000 operations (BENCH_OPERATIONS to change it): the list verb's first
 * page, a filtered page, a text search and a filtered total, timed at the service (server time, no
 * HTTP), median of 9 runs. Baselines in the same run: an exact count(*) and an OFFSET page.
 */
export async function benchObservability(): Promise<Record<string, unknown>> {
  const lists = await measureJobHistory();
  // The scrape and the recording cost, on a database of their own (100 collections), in the same run.
  return { ...lists, ...(await measureMetrics()), target_scrape_ms: 50, target_overhead_per_step_ms: 1 };
}

async function measureJobHistory(): Promise<Record<string, unknown>> {
  const db = await benchDatabase();
  try {
    const sql = getSql();
    const seedMs = await timeMs(seedOperations);
    log(`seeded in ${round(seedMs / 1000)} s`);

    const ctx: ServiceContext = { actor: { type: "user", id: randomUUID(), email: "bench@bench.test", role: "viewer" }, ip: null, correlationId: randomUUID() };
    const [collection] = await sql<{ id: string }[]>`select id from collections where name = 'bench-042'`;
    const [someOp] = await sql<{ id: string }[]>`select id from operations where created_at < now() - ${Math.floor(OPERATIONS / 3)} * interval '1 second' order by created_at desc limit 1`;
    const list = (input: Record<string, unknown>) => () => listOperations({ ctx, input: { limit: 50, ...input } });
    const second = await listOperations({ ctx, input: { limit: 50, status: "failed" } });

    const filtered = { status: "failed", type: "REINDEX", collectionId: collection!.id };
    const result = {
      bench: "observability",
      operations: OPERATIONS,
      // Each list call is the page and its total together, as the page and GET /api/v1/operations ask for them.
      ops_first_page_ms: await medianMs(list({})),
      ops_filtered_page_ms: await medianMs(list(filtered)),
      ops_text_search_ms: await medianMs(list({ q: "disk: needs 42" })),
      ops_count_ms: await medianMs(() => countOperations({ status: "failed" })),
      ops_count_unfiltered_ms: await medianMs(() => countOperations({})),
      ops_next_page_ms: await medianMs(list({ status: "failed", cursor: second.nextCursor! })),
      ops_text_search_common_ms: await medianMs(list({ q: "embedding service unavailable" })),
      ops_id_prefix_ms: await medianMs(list({ q: someOp!.id.slice(0, 8) })),
      ops_actor_range_ms: await medianMs(list({ actor: "user7@bench.test", from: new Date(Date.now() - 30 * 86_400_000).toISOString(), outcome: "succeeded_with_failures" })),
      target_ms: TARGET_MS,
      baseline_exact_count_ms: round(await timeMs(() => sql`select count(*) from operations`)),
      baseline_offset_page_ms: await medianMs(() => sql`select * from operations order by created_at desc, id desc offset 100000 limit 50`, 3),
      seed_s: round(seedMs / 1000),
    };
    return result;
  } finally {
    await closeDb();
    await db.stop();
  }
}
