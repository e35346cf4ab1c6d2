import { and, eq, notInArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chunks } from "@/db/schema/chunks";
import { documents } from "@/db/schema/documents";
import { chunkId, chunkText, estimateTokens, sha256Hex } from "@/lib/ingest/chunk";
import { parseDocument } from "@/lib/ingest/parse";
import { ParseError } from "@/lib/ingest/types";
import { env } from "@/lib/env";
import { readSourceFile, resolveSourceDirectory } from "@/lib/sources/resolve";
import { isCancelled, loadOperation, loadSource } from "./context";
import { applyStageChanges, documentsInStages, type StageChange } from "./stages";

export type BatchInput = { operationId: string; documentIds: string[] };

const PARSEABLE = ["uploaded", "parsing", "parsed", "validated", "failed"] as const;

/**
 * Stage 1 for a batch: parse → validate → chunk. A document that can never be parsed is parked as
 * dead with the reason; it never stops the batch. Returns the documents ready for embedding.
 */
export async function parseBatch({ operationId, documentIds }: BatchInput): Promise<{ chunked: string[]; dead: number }> {
  const { op, collection } = await loadOperation(operationId);
  if (isCancelled(op)) return { chunked: [], dead: 0 };
  const db = getDb();
  const docs = await documentsInStages(db, operationId, documentIds, [...PARSEABLE]);
  if (docs.length === 0) return { chunked: [], dead: 0 };
  const started = new Date();
  await applyStageChanges(db, operationId, docs.map((d) => ({ id: d.id, stage: "parsing", at: started })));
  const roots = new Map<string, string | null>();
  const rootOf = async (sourceId: string) => {
    if (!roots.has(sourceId)) {
      const source = await loadSource(sourceId).catch(() => null);
      roots.set(sourceId, source ? (source.kind === "directory" ? await resolveSourceDirectory(source.path).catch(() => null) : source.path) : null);
    }
    return roots.get(sourceId)!;
  };
  const maxBytes = env().STEVEDORE_MAX_FILE_BYTES;

  const changes: StageChange[] = [];
  const parsed: Array<{ id: string; text: string; title: string | undefined; hash: string; rows: (typeof chunks.$inferInsert)[] }> = [];
  for (const doc of docs) {
    const dead = (errorClass: string, message: string) => changes.push({ id: doc.id, stage: "dead", at: new Date(), errorClass, message });
    const root = await rootOf(doc.sourceId);
    const bytes = root ? await readSourceFile(root, doc.path).catch(() => null) : null;
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
        return { id: chunkId(doc.id, c.ordinal, contentHash), documentId: doc.id, collectionId: collection.id, ordinal: c.ordinal, contentHash, text: c.text, tokenCount: estimateTokens(c.text) };
      });
      parsed.push({ id: doc.id, text: result.text, title: result.title, hash: sha256Hex(bytes), rows });
      changes.push({ id: doc.id, stage: "chunked", at: new Date() });
    } catch (err) {
      if (err instanceof ParseError) dead(`parse_${err.reason}`, err.message);
      else throw err; // unexpected: let the step retry
    }
  }

  await db.transaction(async (tx) => {
    for (const doc of parsed) {
      const ids = doc.rows.map((r) => r.id);
      // A changed document's old chunks go; its unchanged chunks keep their ids and are not rewritten.
      await tx.delete(chunks).where(and(eq(chunks.documentId, doc.id), ids.length ? notInArray(chunks.id, ids) : undefined));
      if (doc.rows.length) await tx.insert(chunks).values(doc.rows).onConflictDoNothing();
      await tx
        .update(documents)
        .set({ parsedText: doc.text, title: doc.title ?? null, chunkCount: doc.rows.length, contentHash: doc.hash })
        .where(eq(documents.id, doc.id));
    }
    await applyStageChanges(tx, operationId, changes, ["parsing"]);
  });
  const chunked = parsed.filter((p) => p.rows.length > 0).map((p) => p.id);
  // A document whose text yields no chunk has nothing to embed: it is complete as it is.
  const empty = parsed.filter((p) => p.rows.length === 0).map((p) => ({ id: p.id, stage: "complete" as const, at: new Date() }));
  await applyStageChanges(db, operationId, empty, ["chunked"]);
  return { chunked, dead: changes.filter((c) => c.stage === "dead").length };
}
