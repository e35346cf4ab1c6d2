import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext, createTestUser, contextFor } from "@/db/test/factories";
import type { ServiceContext } from "../context";
import { bulkCancelOperations } from "./bulk-cancel";
import { bulkRetryOperations } from "./bulk-retry";
import { exportOperationsCsv } from "./export-csv";
import { EXACT_OPERATIONS_UP_TO, EXACT_TEXT_MATCHES_UP_TO, listOperations } from "./list";

type Op = typeof operations.$inferInsert;

async function newCollection() {
  const [c] = await getDb()
    .insert(collections)
    .values({ name: `ops-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
    .returning();
  return c!.id;
}

/** A user of its own, so the suite's rows are told apart from other suites' by the actor filter. */
async function requester() {
  const user = await createTestUser("operator");
  return { user, ctx: contextFor(user) };
}

const insertOps = (rows: Op[]) => getDb().insert(operations).values(rows).returning();
const ids = (page: { rows: { operation: { id: string } }[] }) => page.rows.map((r) => r.operation.id);

describe("the job history", () => {
  let viewer: ServiceContext;
  beforeAll(async () => {
    viewer = await actorContext("viewer");
  });

  it("filters by type, status, outcome, collection, actor, time range and text over id and error", async () => {
    const { user } = await requester();
    const collectionId = await newCollection();
    const t = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const base = { requestedBy: user.id, correlationId: randomUUID() };
    const [indexOk, appendDirty, reindexRejected, reindexFailed, selfTestRunning, elsewhere] = await insertOps([
      { ...base, type: "INDEX", status: "succeeded", collectionId, result: { outcome: "succeeded" }, createdAt: t(50) },
      { ...base, type: "APPEND", status: "succeeded", collectionId, result: { outcome: "succeeded_with_failures", failedShare: 0.2 }, createdAt: t(40) },
      { ...base, type: "REINDEX", status: "failed", collectionId, result: { outcome: "rejected" }, error: "Rejected by ops@example.test", createdAt: t(30) },
      { ...base, type: "REINDEX", status: "failed", collectionId, error: 'Validation gate "recall" failed: 100% expected, 40_0 found', createdAt: t(20) },
      { ...base, type: "SELF_TEST", status: "running", createdAt: t(10) },
      { ...base, requestedBy: (await createTestUser("operator")).id, type: "INDEX", status: "failed", collectionId, error: "Embedding service unavailable", createdAt: t(5) },
    ]);
    const list = (input: Record<string, unknown>) => listOperations({ ctx: viewer, input: { actor: user.email, ...input } }).then(ids);

    expect(await list({})).toEqual([selfTestRunning!.id, reindexFailed!.id, reindexRejected!.id, appendDirty!.id, indexOk!.id]);
    expect(await list({ type: "REINDEX" })).toEqual([reindexFailed!.id, reindexRejected!.id]);
    expect(await list({ status: "failed" })).toEqual([reindexFailed!.id, reindexRejected!.id]);
    expect(await list({ status: "succeeded" })).toEqual([indexOk!.id]);
    expect(await list({ status: "succeeded_with_failures" })).toEqual([appendDirty!.id]);
    expect(await list({ outcome: "rejected" })).toEqual([reindexRejected!.id]);
    expect(await list({ outcome: "succeeded_with_failures" })).toEqual([appendDirty!.id]);
    expect(await list({ from: t(35).toISOString(), to: t(15).toISOString() })).toEqual([reindexFailed!.id, reindexRejected!.id]);
    // Another actor's row shows under its own actor and under the collection, never under this one.
    expect(await listOperations({ ctx: viewer, input: { collectionId } }).then(ids)).toEqual([elsewhere!.id, reindexFailed!.id, reindexRejected!.id, appendDirty!.id, indexOk!.id]);
    expect(await list({ actor: user.email.toUpperCase(), collectionId, type: "INDEX" })).toEqual([indexOk!.id]);
    expect(await list({ actor: "nobody@example.test" })).toEqual([]);
    // Text: the start of an id (with or without its dashes, any case; not its middle), any case of the error, % and _ taken literally.
    expect(await list({ q: appendDirty!.id.slice(0, 6) })).toEqual([appendDirty!.id]);
    expect(await list({ q: appendDirty!.id.slice(0, 13).toUpperCase() })).toEqual([appendDirty!.id]);
    expect(await list({ q: appendDirty!.id })).toEqual([appendDirty!.id]);
    expect(await list({ q: appendDirty!.id.slice(9, 23) })).toEqual([]);
    expect(await list({ q: "REJECTED BY" })).toEqual([reindexRejected!.id]);
    expect(await list({ q: "100% exp" })).toEqual([reindexFailed!.id]);
    expect(await list({ q: "40_0" })).toEqual([reindexFailed!.id]);
    expect(await list({ q: "4000" })).toEqual([]);
    await expect(list({ q: "ab" })).rejects.toMatchObject({ code: "invalid", fieldErrors: { q: [expect.stringContaining("at least 3")] } });
    await expect(list({ status: "sleeping" })).rejects.toMatchObject({ code: "invalid", fieldErrors: { status: expect.any(Array) } });
    await expect(list({ cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "invalid", fieldErrors: { cursor: [expect.stringContaining("first page")] } });
  });

  it("pages by (created_at, id) with no duplicate or gap where many rows share a timestamp, forwards and back", async () => {
    const { user } = await requester();
    const same = new Date(Date.now() - 3_600_000);
    const rows: Op[] = Array.from({ length: 23 }, (_, i) => ({ type: "SELF_TEST" as const, status: "succeeded" as const, requestedBy: user.id, correlationId: randomUUID(), createdAt: i < 17 ? same : new Date(same.getTime() + (i % 3)) }));
    await insertOps(rows);
    // Two rows a microsecond apart, which a JS Date (milliseconds) cannot tell apart.
    await getSql()`insert into operations (type, status, requested_by, correlation_id, created_at)
      values ('SELF_TEST', 'succeeded', ${user.id}, 'us-1', timestamptz '2026-01-01 00:00:00.000001+00'), ('SELF_TEST', 'succeeded', ${user.id}, 'us-2', timestamptz '2026-01-01 00:00:00.000002+00')`;
    const expected = (await getSql()<{ id: string }[]>`select id from operations where requested_by = ${user.id} order by created_at desc, id desc`).map((r) => r.id);
    expect(expected).toHaveLength(25);

    const pages: Awaited<ReturnType<typeof listOperations>>[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOperations({ ctx: viewer, input: { actor: user.email, limit: 4, cursor } });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.flatMap(ids)).toEqual(expected);
    expect(pages.map((p) => p.rows.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    expect(pages[0]!.prevCursor).toBeNull();
    expect(pages.at(-1)!.nextCursor).toBeNull();
    expect(pages.every((p) => p.total.kind === "exact" && p.total.value === 25)).toBe(true);

    // Back from the last page, one page at a time, to the first: the same pages.
    let before = pages.at(-1)!.prevCursor;
    const back: string[][] = [];
    while (before) {
      const page = await listOperations({ ctx: viewer, input: { actor: user.email, limit: 4, before } });
      back.push(ids(page));
      before = page.prevCursor;
    }
    expect(back.reverse()).toEqual(pages.slice(0, -1).map(ids));
  });

  it("counts exactly up to the threshold and estimates beyond it, for a filter and for the whole table", async () => {
    const { user } = await requester();
    // Past 4 × the threshold, where a filter is estimated without counting at all.
    const n = 4.5 * EXACT_OPERATIONS_UP_TO + 500;
    await getSql()`insert into operations (type, status, requested_by, correlation_id, error, created_at)
      select (array['INDEX','APPEND','SELF_TEST'])[1 + g % 3], case when g % 10 = 0 then 'failed' else 'succeeded' end, ${user.id}, 'bulk-' || g,
             case when g % 10 = 0 then 'timeout talking to the store ' || g end, now() - g * interval '1 second'
      from generate_series(1, ${n}) g`;
    await getSql()`analyze operations`;
    const total = async (input: Record<string, unknown>) => (await listOperations({ ctx: viewer, input: { actor: user.email, limit: 1, ...input } })).total;
    // The planner's estimate, not a count: near the truth, not necessarily on it.
    const near = (t: { value: number; kind: string }, truth: number) => t.kind === "estimate" && t.value > EXACT_OPERATIONS_UP_TO && Math.abs(t.value - truth) / truth < 0.5;

    const all = await total({});
    expect(near(all, n), JSON.stringify(all)).toBe(true);
    // A third of them: planned below 4 × the threshold, so counted, up to the cap, then estimated.
    const indexes = await total({ type: "INDEX" });
    expect(near(indexes, n / 3), JSON.stringify(indexes)).toBe(true);
    expect(await total({ status: "failed" })).toEqual({ value: n / 10, kind: "exact" });
    expect(await total({ q: "store 1050" })).toEqual({ value: 2, kind: "exact" }); // 1050 and 10500
    // A text search is exact only to EXACT_TEXT_MATCHES_UP_TO: 4,550 matches are an estimate.
    const text = await total({ q: "talking to the store" });
    expect(text.kind === "estimate" && text.value > EXACT_TEXT_MATCHES_UP_TO && Math.abs(text.value - n / 10) / (n / 10) < 0.5, JSON.stringify(text)).toBe(true);
    expect(await total({ q: "store 1050", status: "failed" })).toEqual({ value: 2, kind: "exact" });
    const whole = await listOperations({ ctx: viewer, input: { limit: 1 } });
    expect(whole.total.kind).toBe("estimate");
    expect(whole.total.value).toBeGreaterThanOrEqual(n);
  });

  it("exports the filtered set as CSV, in every batch, quoting what needs it", async () => {
    const { user } = await requester();
    const n = 2_345;
    await getSql()`insert into operations (type, status, requested_by, correlation_id, error, created_at)
      select 'APPEND', 'failed', ${user.id}, 'csv-' || g, 'disk full, "really" ' || g, now() - g * interval '1 second'
      from generate_series(1, ${n}) g`;
    await insertOps([{ type: "SELF_TEST", status: "succeeded", requestedBy: user.id, correlationId: "csv-other" }]);
    const csv = await new Response(await exportOperationsCsv({ ctx: viewer, input: { actor: user.email, status: "failed" } })).text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,type,status,outcome,collection_id,collection,requested_by,created_at,started_at,finished_at,duration_ms,error,status_message,correlation_id,retry_of");
    expect(lines).toHaveLength(n + 1);
    expect(lines[1]).toContain(`,APPEND,failed,failed,,,${user.email},`);
    expect(lines[1]).toContain(`,"disk full, ""really"" 1",,csv-1,`);
    expect(lines.at(-1)).toContain(`csv-${n},`);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBe(n);
    await expect(exportOperationsCsv({ ctx: viewer, input: { type: "NOPE" } })).rejects.toMatchObject({ code: "invalid" });
  });

  it("rejects a viewer's bulk cancel and bulk retry, auditing each refusal, and changes nothing", async () => {
    const { user } = await requester();
    const [queued] = await insertOps([{ type: "SELF_TEST", status: "queued", requestedBy: user.id, correlationId: randomUUID() }]);
    await expect(bulkCancelOperations({ ctx: viewer, input: { ids: [queued!.id] } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(bulkRetryOperations({ ctx: viewer, input: { filter: { actor: user.email } } })).rejects.toMatchObject({ code: "forbidden" });
    expect((await auditRowsOf(viewer.correlationId)).map((r) => [r.action, r.outcome])).toEqual([
      ["operation.bulk-cancel", "denied"],
      ["operation.bulk-retry", "denied"],
    ]);
    expect((await listOperations({ ctx: viewer, input: { actor: user.email } })).rows[0]!.operation.status).toBe("queued");
  });

  it("refuses a bulk body with both ids and a filter, or neither", async () => {
    const { ctx } = await requester();
    await expect(bulkCancelOperations({ ctx, input: { ids: [randomUUID()], filter: {} } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { _form: [expect.stringContaining("not both")] } });
    await expect(bulkRetryOperations({ ctx, input: { dryRun: true } })).rejects.toMatchObject({ code: "invalid" });
  });
});
