import { inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents, documentTexts } from "@/db/schema/documents";
import { env } from "@/lib/env";
import { StageTally } from "@/lib/observability/stage-tally";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
import { getVectorStore } from "@/lib/vector";
import { realSourceRoot } from "@/lib/sources/resolve";
import { isCancelled, loadOperation, loadSource } from "./context";
import { parseFilesBounded } from "./parse-files";
import { applyStageChanges, documentsInStages, type StageChange } from "./stages";

export type BatchInput = { operationId: string; documentIds: string[] };

const PARSEABLE = ["uploaded", "parsing", "parsed", "validated", "failed"] as const;

/** The real path of a source's root, or null when the source or its folder is gone. */
async function realRootOf(sourceId: string): Promise<string | null> {
  const source = await loadSource(sourceId).catch(() => null);
  return source ? realSourceRoot(source).catch(() => null) : null;
}

/** File bytes parsed per worker task and committed together: bounds the texts held at once (a larger file goes alone). */
const GROUP_BYTES = 8 * 1024 * 1024;

/** Consecutive runs of `docs` whose sizes add up to at most GROUP_BYTES (at least one document each). */
export function groupBySize<T extends { sizeBytes: number }>(docs: T[], budget = GROUP_BYTES): T[][] {
  const groups: T[][] = [];
  let bytes = Infinity;
  for (const doc of docs) {
    if (bytes + doc.sizeBytes > budget) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)!.push(doc);
    bytes += doc.sizeBytes;
  }
  return groups;
}

/**
 * Stage 1 for a batch: parse → validate → chunk, in a worker thread. The parsed text is kept; the
 * chunks are only counted here, and cut again from that text by stage 2 (chunking is
 * deterministic). A document that can never be parsed is parked as dead with the reason; it never
 * stops the batch. The batch goes in groups of about GROUP_BYTES of files, each committed on its
 * own, so its texts are never all in memory or in one statement. Returns the documents ready for
 * embedding, how many it parsed, and the reason of each one it parked.
 */
export async function parseBatch({ operationId, documentIds }: BatchInput): Promise<{ chunked: string[]; parsed: number; dead: string[] }> {
  const { op, collection, params } = await loadOperation(operationId);
  if (isCancelled(op)) return { chunked: [], parsed: 0, dead: [] };
  const db = getDb();
  const found = await documentsInStages(db, operationId, documentIds, [...PARSEABLE, "chunked"]);
  // Chunked by an earlier attempt of this step that died before handing them on: hand them on again.
  const chunked = found.filter((d) => d.stage === "chunked").map((d) => d.id);
  const pending = found.filter((d) => d.stage !== "chunked");
  if (pending.length === 0) return { chunked, parsed: 0, dead: [] };
  const sizes = new Map((await db.select({ id: documents.id, sizeBytes: documents.sizeBytes }).from(documents).where(inArray(documents.id, pending.map((d) => d.id)))).map((r) => [r.id, r.sizeBytes]));
  const started = new Date();
  const roots = new Map<string, Promise<string | null>>();
  const rootOf = (sourceId: string) => {
    if (!roots.has(sourceId)) roots.set(sourceId, realRootOf(sourceId));
    return roots.get(sourceId)!;
  };
  let parsed = 0;
  const dead: string[] = [];
  for (const [i, docs] of groupBySize(pending.map((d) => ({ ...d, sizeBytes: sizes.get(d.id) ?? 0 }))).entries()) {
    // Groups of large files take a while: a cancel is seen between them (its clean-up resets the rest).
    if (i > 0 && isCancelled((await loadOperation(operationId)).op)) break;
    const files = await Promise.all(docs.map(async (d) => ({ root: await rootOf(d.sourceId), path: d.path })));
    const tally = new StageTally();
    const results = await tally.time("parse", docs.length, () => parseFilesBounded({ files, maxBytes: env().STEVEDORE_MAX_FILE_BYTES, chunkSize: collection.chunkSize, chunkOverlap: collection.chunkOverlap }));
    const at = new Date();

    const changes: StageChange[] = [];
    const texts: Array<{ documentId: string; text: string }> = [];
    for (const [i, doc] of docs.entries()) {
      const result = results[i]!;
      changes.push({ id: doc.id, stage: "parsing", at: started });
      if (result.kind === "missing") {
        changes.push({ id: doc.id, stage: "dead", at, errorClass: "missing", message: "The file is no longer in the source folder." });
      } else if (result.kind === "refused") {
        changes.push({ id: doc.id, stage: "dead", at, errorClass: `parse_${result.reason}`, message: result.message });
      } else {
        tally.counters.bytesRead += doc.sizeBytes;
        const parsed = { title: result.title, chunkCount: result.chunkCount, contentHash: result.contentHash };
        texts.push({ documentId: doc.id, text: result.text });
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
      // Plain parameters, not one JSON document: a large text is not copied once more to be sent.
      if (texts.length) await tx.insert(documentTexts).values(texts).onConflictDoUpdate({ target: documentTexts.documentId, set: { text: sql`excluded.text` } });
      await applyStageChanges(tx, operationId, changes, [...PARSEABLE]);
      await recordStageTally(tx, operationId, tally);
    });
    parsed += texts.length;
    dead.push(...changes.filter((c) => c.stage === "dead").map((c) => c.errorClass ?? "unknown"));
  }
  return { chunked, parsed, dead };
}
