import { and, asc, eq, gt, notInArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { getVectorStore } from "@/lib/vector";
import { announceRelease, appendOperationLog, endOpenCheckpoints, finishOperation } from "@/lib/services/operation/progress";
import { abandonBackupWork } from "@/lib/backup/operations";
import { abandonStaging } from "@/lib/reindex/run";
import { loadOperation } from "./context";
import { operationLogger, type OperationRef } from "./log";
import { applyStageChanges } from "./stages";
import { settleTarget } from "./target";

const PAGE = 1000;
type Why = { errorClass: string; message: string };

/**
 * An operation that stopped early: its documents not complete (or dead) become `failed` with the
 * reason and lose any points written for them, so no half-written document stays; a later
 * APPEND picks them up. Paged by id, so any number of documents costs bounded memory.
 */
export async function rollBackUnfinished(operationId: string, target: string | null, why: Why): Promise<number> {
  const db = getDb();
  const store = target ? await getVectorStore() : null;
  let reset = 0;
  for (let after = ""; ; ) {
    const page = await db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.operationId, operationId), notInArray(documents.stage, ["complete", "dead"]), after ? gt(documents.id, after) : undefined))
      .orderBy(asc(documents.id))
      .limit(PAGE);
    if (page.length === 0) return reset;
    after = page.at(-1)!.id;
    const now = new Date();
    const changed = await applyStageChanges(db, operationId, page.map((d) => ({ id: d.id, stage: "failed", at: now, ...why })));
    if (store && target && changed.length) await store.deleteByFilter(target, { document_id: changed });
    reset += changed.length;
  }
}

/**
 * The collection and target the operation wrote to, or null when it never had the collection's
 * turn (it must not touch a collection another operation works on) or the collection is gone.
 */
async function targetOf(operationId: string) {
  const loaded = await loadOperation(operationId).catch(() => null);
  return loaded?.params.targetCollection ? { collectionId: loaded.collection.id, target: loaded.params.targetCollection } : null;
}

/**
 * After a cancel (the verb or the Runs page already marked the operation cancelled): roll back
 * what it left unfinished, end its checkpoints, settle the collection and hand its turn on.
 * Idempotent: a second call finds nothing to roll back.
 */
export async function cleanUpCancelled(ref: OperationRef): Promise<{ reset: number }> {
  const where = await targetOf(ref.operationId);
  const reset = await rollBackUnfinished(ref.operationId, where?.target ?? null, { errorClass: "cancelled", message: "The operation was cancelled before this document was stored." });
  await abandonStaging(ref.operationId);
  await abandonBackupWork(ref.operationId);
  await endOpenCheckpoints(getDb(), ref.operationId, "Cancelled.");
  if (where) await settleTarget(where.collectionId, where.target, ref.operationId);
  if (where || reset) await appendOperationLog(ref.operationId, "warn", `Cancelled; ${reset} unfinished document(s) rolled back.`, { reset, correlationId: ref.correlationId });
  operationLogger(ref).info({ reset }, "cancelled operation cleaned up");
  // Rolled back: the operations queued behind it may go (see claimTurn).
  const [op] = await getDb()
    .update(operations)
    .set({ result: sql`coalesce(${operations.result}, '{}'::jsonb) || ${JSON.stringify({ rolledBack: reset })}::jsonb` })
    .where(eq(operations.id, ref.operationId))
    .returning({ collectionId: operations.collectionId });
  if (op?.collectionId) await announceRelease(op.collectionId, ref.operationId);
  return { reset };
}

/** A run gave up: roll back what it left unfinished, settle the collection, and fail the operation with `error`. */
export async function failOperation(ref: OperationRef, error: string): Promise<void> {
  const where = await targetOf(ref.operationId);
  try {
    await rollBackUnfinished(ref.operationId, where?.target ?? null, { errorClass: "operation_failed", message: "The operation failed before this document was stored." });
    await abandonStaging(ref.operationId);
    await abandonBackupWork(ref.operationId);
    if (where) await settleTarget(where.collectionId, where.target, ref.operationId);
  } catch (err) {
    // The operation must end even when the clean-up cannot: the documents stay queued for a later APPEND.
    operationLogger(ref).error({ err }, "clean-up after a failed operation did not finish");
  }
  await finishOperation(ref.operationId, { status: "failed", error });
}
