import fs from "node:fs/promises";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chunkId, chunkText, estimateTokens, sha256Hex } from "@/lib/ingest/chunk";
import { parseDocument } from "@/lib/ingest/parse";
import { ParseError } from "@/lib/ingest/types";
import { env } from "@/lib/env";
import { mapLimit } from "@/lib/map-limit";
import { getVectorStore } from "@/lib/vector";
import { readSourceFile, resolveSourceDirectory } from "@/lib/sources/resolve";
import { isCancelled, loadOperation, loadSource } from "./context";
import { applyStageChanges, documentsInStages, type StageChange } from "./stages";

/** The real path of a source's root, or null when the source or its folder is gone. */
async function realRootOf(sourceId: string): Promise<string | null> {
  const source = await loadSource(sourceId).catch(() => null);
  if (!source) return null;
  return (source.kind === "directory" ? resolveSourceDirectory(source.path) : fs.realpath(source.path)).catch(() => null);
}

export type BatchInput = { operationId: string; documentIds: string[] };

const PARSEABLE = ["uploaded", "parsing", "parsed", "validated", "failed"] as const;

/**
 * Stage 1 for a batch: parse → validate → chunk. A document that can never be parsed is parked as
 * dead with the reason; it never stops the batch. Returns the documents ready for embedding.
 */
export async function parseBatch({ operationId, documentIds }: BatchInput): Promise<{ chunked: string[]; dead: number }> {
  const { op, collection, params } = await loadOperation(operationId);
  if (isCancelled(op)) return { chunked: [], dead: 0 };
  const db = getDb();
  const docs = await documentsInStages(db, operationId, documentIds, [...PARSEABLE]);
  if (docs.length === 0) return { chunked: [], dead: 0 };
  const started = new Date();
  await applyStageChanges(db, operationId, docs.map((d) => ({ id: d.id, stage: "parsing", at: started })));
  const roots = new Map<string, Promise<string | null>>();
  const rootOf = (sourceId: string) => {
    if (!roots.has(sourceId)) roots.set(sourceId, realRootOf(sourceId));
    return roots.get(sourceId)!;
  };
  // Small files make reading latency-bound: several reads in flight.
  const files = await mapLimit(docs, 16, async (doc) => {
    const root = await rootOf(doc.sourceId);
    return root ? readSourceFile(root, doc.path).catch(() => null) : null;
  });
  const maxBytes = env().STEVEDORE_MAX_FILE_BYTES;

  const changes: StageChange[] = [];
  type ChunkRow = { id: string; document_id: string; collection_id: string; ordinal: number; content_hash: string; text: string; token_count: number };
  const parsed: Array<{ id: string; text: string; title: string | undefined; hash: string; rows: ChunkRow[] }> = [];
  for (const [i, doc] of docs.entries()) {
    const dead = (errorClass: string, message: string) => changes.push({ id: doc.id, stage: "dead", at: new Date(), errorClass, message });
    const bytes = files[i];
    if (!bytes) {
      dead("missing", "The file is no longer in the source folder.");
      continue;
    }
    try {
      const result = await parseDocument({ path: doc.path, bytes, maxBytes });
      changes.push({ id: doc.id, stage: "parsed", at: new Date() });
      changes.push({ id: doc.id, stage: "validated", at: new Date() });
      const pieces = chunkText(result.text, { size: collection.chunkSize, overlap: collection.chunkOverlap });
      const rows = pieces.map((c) => {
        const contentHash = sha256Hex(c.text);
        return { id: chunkId(doc.id, c.ordinal, contentHash), document_id: doc.id, collection_id: collection.id, ordinal: c.ordinal, content_hash: contentHash, text: c.text, token_count: estimateTokens(c.text) };
      });
      parsed.push({ id: doc.id, text: result.text, title: result.title, hash: sha256Hex(bytes), rows });
      changes.push({ id: doc.id, stage: "chunked", at: new Date() });
    } catch (err) {
      if (err instanceof ParseError) dead(`parse_${err.reason}`, err.message);
      else throw err; // unexpected: let the step retry
    }
  }

  // A changed document's old chunks go, points first (idempotent, so a crash in between is safe);
  // unchanged chunks keep their ids and are not rewritten.
  const rows = parsed.flatMap((p) => p.rows);
  const keep = `{${rows.map((r) => r.id).join(",")}}`;
  const stale = parsed.length
    ? ((await db.execute(sql`select id from chunks where document_id in ${parsed.map((p) => p.id)} and not (id = any(${keep}::uuid[]))`)) as unknown as Array<{ id: string }>).map((r) => r.id)
    : [];
  if (stale.length) await (await getVectorStore()).deleteByIds(params.targetCollection ?? collection.name, stale);

  // Three statements for the whole batch, however many documents and chunks it holds.
  await db.transaction(async (tx) => {
    if (parsed.length) {
      if (stale.length) await tx.execute(sql`delete from chunks where id = any(${`{${stale.join(",")}}`}::uuid[])`);
      if (rows.length) {
        await tx.execute(sql`
          insert into chunks (id, document_id, collection_id, ordinal, content_hash, text, token_count)
          select c.id, c.document_id, c.collection_id, c.ordinal, c.content_hash, c.text, c.token_count
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as c(id uuid, document_id uuid, collection_id uuid, ordinal int, content_hash text, text text, token_count int)
          on conflict (id) do nothing`);
      }
      const updates = parsed.map((p) => ({ id: p.id, text: p.text, title: p.title ?? null, chunks: p.rows.length, hash: p.hash }));
      await tx.execute(sql`
        update documents d set parsed_text = v.text, title = v.title, chunk_count = v.chunks, content_hash = v.hash
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id uuid, text text, title text, chunks int, hash text)
        where d.id = v.id`);
    }
    await applyStageChanges(tx, operationId, changes, ["parsing"]);
  });
  const chunked = parsed.filter((p) => p.rows.length > 0).map((p) => p.id);
  // A document whose text yields no chunk has nothing to embed: it is complete as it is.
  const empty = parsed.filter((p) => p.rows.length === 0).map((p) => ({ id: p.id, stage: "complete" as const, at: new Date() }));
  await applyStageChanges(db, operationId, empty, ["chunked"]);
  return { chunked, dead: changes.filter((c) => c.stage === "dead").length };
}
