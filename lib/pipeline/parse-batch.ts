import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { getVectorStore } from "@/lib/vector";
import { realSourceRoot } from "@/lib/sources/resolve";
import { runTask } from "@/lib/workers/pool";
import { isCancelled, loadOperation, loadSource } from "./context";
import { applyStageChanges, documentsInStages, type StageChange } from "./stages";

export type BatchInput = { operationId: string; documentIds: string[] };

const PARSEABLE = ["uploaded", "parsing", "parsed", "validated", "failed"] as const;

/** The real path of a source's root, or null when the source or its folder is gone. */
async function realRootOf(sourceId: string): Promise<string | null> {
  const source = await loadSource(sourceId).catch(() => null);
  return source ? realSourceRoot(source).catch(() => null) : null;
}

/**
 * Stage 1 for a batch: parse → validate → chunk, in a worker thread. The parsed text is kept; the
 * chunks are only counted here, and cut again from that text by stage 2 (chunking is
 * deterministic). A document that can never be parsed is parked as dead with the reason; it never
 * stops the batch. Returns the documents ready for embedding.
 */
export async function parseBatch({ operationId, documentIds }: BatchInput): Promise<{ chunked: string[]; dead: number }> {
  const { op, collection, params } = await loadOperation(operationId);
  if (isCancelled(op)) return { chunked: [], dead: 0 };
  const db = getDb();
  const found = await documentsInStages(db, operationId, documentIds, [...PARSEABLE, "chunked"]);
  // Chunked by an earlier attempt of this step that died before handing them on: hand them on again.
  const handedOn = found.filter((d) => d.stage === "chunked").map((d) => d.id);
  const docs = found.filter((d) => d.stage !== "chunked");
  if (docs.length === 0) return { chunked: handedOn, dead: 0 };
  const started = new Date();
  const roots = new Map<string, Promise<string | null>>();
  const rootOf = (sourceId: string) => {
    if (!roots.has(sourceId)) roots.set(sourceId, realRootOf(sourceId));
    return roots.get(sourceId)!;
  };
  const files = await Promise.all(docs.map(async (d) => ({ root: await rootOf(d.sourceId), path: d.path })));
  const results = await runTask("parseFiles", { files, maxBytes: env().STEVEDORE_MAX_FILE_BYTES, chunkSize: collection.chunkSize, chunkOverlap: collection.chunkOverlap });
  const at = new Date();

  const changes: StageChange[] = [];
  const texts: Array<{ document_id: string; text: string }> = [];
  const chunked: string[] = [...handedOn];
  for (const [i, doc] of docs.entries()) {
    const result = results[i]!;
    changes.push({ id: doc.id, stage: "parsing", at: started });
    if (result.kind === "missing") {
      changes.push({ id: doc.id, stage: "dead", at, errorClass: "missing", message: "The file is no longer in the source folder." });
    } else if (result.kind === "refused") {
      changes.push({ id: doc.id, stage: "dead", at, errorClass: `parse_${result.reason}`, message: result.message });
    } else {
      const parsed = { title: result.title, chunkCount: result.chunkCount, contentHash: result.contentHash };
      texts.push({ document_id: doc.id, text: result.text });
      changes.push({ id: doc.id, stage: "parsed", at }, { id: doc.id, stage: "validated", at }, { id: doc.id, stage: "chunked", at, parsed });
      // A document whose text yields no chunk has nothing to embed: it is complete as it is.
      if (result.chunkCount > 0) chunked.push(doc.id);
      else changes.push({ id: doc.id, stage: "complete", at, parsed });
    }
  }

  // A document indexed before (a changed file, or a batch re-run) loses its old points first; they
  // are found by document, so a crash in between is safe, and stage 2 writes the new ones.
  const replaced = docs.filter((d, i) => d.chunkCount > 0 && results[i]!.kind !== "missing").map((d) => d.id);
  if (replaced.length) await (await getVectorStore()).deleteByFilter(params.targetCollection ?? collection.name, { document_id: replaced });

  await db.transaction(async (tx) => {
    if (texts.length) {
      await tx.execute(sql`
        insert into document_texts (document_id, text)
        select t.document_id, t.text from jsonb_to_recordset(${JSON.stringify(texts)}::jsonb) as t(document_id uuid, text text)
        on conflict (document_id) do update set text = excluded.text`);
    }
    await applyStageChanges(tx, operationId, changes, [...PARSEABLE]);
  });
  return { chunked, dead: changes.filter((c) => c.stage === "dead").length };
}
