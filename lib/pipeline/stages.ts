import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { documents, type DocumentStage } from "@/db/schema/documents";
import { RESTING_DOCUMENT_STAGES } from "@/lib/document-stages";
import { followOriginals } from "./duplicates";

/** What parsing learnt of a document, written with its stage change. */
export type Parsed = { title: string | null; chunkCount: number; contentHash: string };

export type StageChange = { id: string; stage: DocumentStage; at: Date; errorClass?: string | null; message?: string | null; parsed?: Parsed };

const RESTING: ReadonlySet<DocumentStage> = new Set(RESTING_DOCUMENT_STAGES);

/**
 * Records stage changes. Each document's row takes the last resting stage (RESTING_DOCUMENT_STAGES) among its changes, and
 * every change goes to document_events, one row per (stage, time, error) for all the documents
 * that share it. Only documents of this operation change. With `from`, a stage function's write:
 * rows must still be in one of those stages and the operation not cancelled, so a stale writer
 * (a cancel's clean-up got there first) changes nothing. Copies of documents that end dead or
 * complete follow them (followOriginals). Returns the documents that changed.
 */
export async function applyStageChanges(executor: Executor, operationId: string, changes: StageChange[], from?: DocumentStage[]): Promise<string[]> {
  if (changes.length === 0) return [];
  // One transaction (a savepoint inside the caller's): a reader never sees a stage without the
  // history that led to it, and a crash cannot keep the one and lose the other.
  return executor.transaction((db) => applyInTransaction(db, operationId, changes, from));
}

async function applyInTransaction(db: Executor, operationId: string, changes: StageChange[], from?: DocumentStage[]): Promise<string[]> {
  // Each document's last resting change is its stage now; the change before it is where a failure happened.
  const rest = new Map<string, StageChange>();
  const before = new Map<string, DocumentStage>();
  const previous = new Map<string, DocumentStage>();
  for (const c of changes) {
    if (RESTING.has(c.stage)) {
      rest.set(c.id, c);
      const p = previous.get(c.id);
      if (p) before.set(c.id, p);
    }
    previous.set(c.id, c.stage);
  }
  const rows = [...rest.values()].map((c) => ({
    id: c.id,
    stage: c.stage,
    at: c.at.toISOString(),
    error_class: c.errorClass ?? null,
    message: c.message ?? null,
    error_stage: before.get(c.id) ?? null,
    parsed: !!c.parsed,
    title: c.parsed?.title ?? null,
    chunk_count: c.parsed?.chunkCount ?? null,
    content_hash: c.parsed?.contentHash ?? null,
  }));
  const guard = from ? sql`and d.stage in ${from} and exists (select 1 from operations o where o.id = ${operationId} and o.status not in ('cancelled', 'failed'))` : sql``;
  const kept = new Set<string>(
    rows.length === 0
      ? [...new Set(changes.map((c) => c.id))]
      : (
          (await db.execute(sql`
            update documents d set stage = v.stage, stage_changed_at = v.at::timestamptz, updated_at = now(),
              error_stage = case when v.stage in ('dead', 'failed') then coalesce(v.error_stage, d.stage) end,
              error_class = v.error_class, error_message = v.message,
              attempts = d.attempts + case when v.stage = 'failed' then 1 else 0 end,
              title = case when v.parsed then v.title else d.title end,
              chunk_count = case when v.parsed then v.chunk_count else d.chunk_count end,
              content_hash = case when v.parsed then v.content_hash else d.content_hash end
            from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
              as v(id uuid, stage text, at text, error_class text, message text, error_stage text, parsed boolean, title text, chunk_count int, content_hash text)
            where d.id = v.id and d.operation_id = ${operationId} ${guard}
            returning d.id`)) as unknown as Array<{ id: string }>
        ).map((r) => r.id),
  );

  await recordEvents(db, operationId, changes.filter((c) => kept.has(c.id)));
  const settledAs = (stage: DocumentStage) => [...kept].filter((id) => rest.get(id)?.stage === stage);
  await followOriginals(db, operationId, { dead: settledAs("dead"), complete: settledAs("complete") });
  return [...kept];
}

/** Adds changes to document_events only: one row per (stage, time, error) for all the documents that share it. */
export async function recordEvents(db: Executor, operationId: string, changes: StageChange[]): Promise<void> {
  const events = new Map<string, { ids: string[]; stage: DocumentStage; at: string; error_class: string | null; message: string | null }>();
  for (const c of changes) {
    const at = c.at.toISOString();
    const key = JSON.stringify([c.stage, at, c.errorClass ?? null, c.message ?? null]);
    const event = events.get(key) ?? events.set(key, { ids: [], stage: c.stage, at, error_class: c.errorClass ?? null, message: c.message ?? null }).get(key)!;
    event.ids.push(c.id);
  }
  if (events.size === 0) return;
  await db.execute(sql`
    insert into document_events (document_ids, operation_id, stage, at, error_class, message)
    select array(select jsonb_array_elements_text(e.ids))::uuid[], ${operationId}::uuid, e.stage, e.at::timestamptz, e.error_class, e.message
    from jsonb_to_recordset(${JSON.stringify([...events.values()])}::jsonb) as e(ids jsonb, stage text, at text, error_class text, message text)`);
}

/** The batch's documents that are still this operation's and in one of `stages`. */
export async function documentsInStages(db: Executor, operationId: string, ids: string[], stages: DocumentStage[]) {
  return db
    .select({ id: documents.id, stage: documents.stage, sourceId: documents.sourceId, path: documents.path, chunkCount: documents.chunkCount })
    .from(documents)
    .where(and(inArray(documents.id, ids), eq(documents.operationId, operationId), inArray(documents.stage, stages)));
}
