import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { documents, type DocumentStage } from "@/db/schema/documents";

/** What parsing learnt of a document, written with its stage change. */
export type Parsed = { title: string | null; chunkCount: number; contentHash: string };

export type StageChange = { id: string; stage: DocumentStage; at: Date; errorClass?: string | null; message?: string | null; parsed?: Parsed };

/**
 * Records stage changes: the document rows take their last stage, and every change is kept in
 * document_events with its own time. `from` guards the update so a stale writer changes nothing.
 */
export async function applyStageChanges(db: Executor, operationId: string, changes: StageChange[], from?: DocumentStage[]): Promise<string[]> {
  if (changes.length === 0) return [];
  // Each document's last change is its stage now; the one before is where a failure happened.
  const last = new Map<string, StageChange>();
  const before = new Map<string, DocumentStage>();
  for (const c of changes) {
    const previous = last.get(c.id);
    if (previous) before.set(c.id, previous.stage);
    last.set(c.id, c);
  }
  const finals = [...last.values()];
  const rows = finals.map((c) => ({
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
  const guard = from ? sql`and d.stage in ${from}` : sql``;
  const updated = (await db.execute(sql`
    update documents d set stage = v.stage, stage_changed_at = v.at::timestamptz, updated_at = now(),
      error_stage = case when v.stage in ('dead', 'failed') then coalesce(v.error_stage, d.stage) end,
      error_class = v.error_class, error_message = v.message,
      attempts = d.attempts + case when v.stage = 'failed' then 1 else 0 end,
      title = case when v.parsed then v.title else d.title end,
      chunk_count = case when v.parsed then v.chunk_count else d.chunk_count end,
      content_hash = case when v.parsed then v.content_hash else d.content_hash end
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id uuid, stage text, at text, error_class text, message text, error_stage text, parsed boolean, title text, chunk_count int, content_hash text)
    where d.id = v.id ${guard}
    returning d.id`)) as unknown as Array<{ id: string }>;
  const kept = new Set(updated.map((u) => u.id));
  const events = changes
    .filter((c) => kept.has(c.id))
    .map((c) => ({ document_id: c.id, stage: c.stage, at: c.at.toISOString(), error_class: c.errorClass ?? null, message: c.message ?? null }));
  // One JSON parameter instead of a multi-row VALUES list: building those dominated the CPU profile.
  if (events.length) {
    await db.execute(sql`
      insert into document_events (document_id, operation_id, stage, at, error_class, message)
      select e.document_id, ${operationId}::uuid, e.stage, e.at::timestamptz, e.error_class, e.message
      from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as e(document_id uuid, stage text, at text, error_class text, message text)`);
  }
  return [...kept];
}

/** The batch's documents that are still this operation's and in one of `stages`. */
export async function documentsInStages(db: Executor, operationId: string, ids: string[], stages: DocumentStage[]) {
  return db
    .select({ id: documents.id, sourceId: documents.sourceId, path: documents.path, chunkCount: documents.chunkCount })
    .from(documents)
    .where(and(inArray(documents.id, ids), eq(documents.operationId, operationId), inArray(documents.stage, stages)));
}
