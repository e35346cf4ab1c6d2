import { and, eq, inArray, isNull, notInArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";
import { documentEvents, documents } from "@/db/schema/documents";
import { DUPLICATE_OF_DEAD } from "@/lib/pipeline/duplicates";
import { refuseBeyondLimits } from "@/lib/resources/check";
import { footprintOf } from "@/lib/resources/footprint";
import { sourceIndexRequested } from "@/inngest/events";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput } from "../verb";
import { deadReason, PERMANENT_DEAD_CLASSES } from "./dead-reasons";
import { findCollection } from "./find";

const MAX_RETRY = 50_000;
const original = alias(documents, "original");

export const RetryDocumentsInput = z.union([
  z.object({ collectionId: z.uuid(), documentIds: z.array(z.uuid()).min(1, { message: "Select at least one document." }).max(1000) }),
  z.object({ collectionId: z.uuid(), matching: z.object({ errorStage: z.string().max(50).optional(), errorClass: z.string().max(100).optional() }) }),
]);

function hopeless(errorClass: string, n?: number): ServiceError {
  const reason = deadReason(errorClass);
  const why = `“${reason.label}” (${errorClass}), which a retry cannot change`;
  if (n === undefined) return new ServiceError("invalid", `Dead letters of ${why}, are not retried. ${reason.advice}`);
  return new ServiceError("invalid", `${n === 1 ? "One selected document is" : `${n} selected documents are`} dead because of ${why}. ${reason.advice}`);
}

/** Selected documents dead for a reason no retry can change make the whole request a refusal, naming the reason. */
async function refuseHopeless(tx: Tx, where: SQL[]) {
  const [worst] = await tx
    .select({ errorClass: documents.errorClass, n: sql<number>`count(*)::int` })
    .from(documents)
    .where(and(...where, inArray(documents.errorClass, [...PERMANENT_DEAD_CLASSES])))
    .groupBy(documents.errorClass)
    .orderBy(sql`count(*) desc`)
    .limit(1);
  if (worst?.errorClass) throw hopeless(worst.errorClass, worst.n);
}

/** Dead letters back into the pipeline: "Retry selected" or "Retry all matching" a filter, as one operation. */
export async function retryDocuments({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "document.retry", "document.retry", input);
  const data = await parseInput(ctx, "document.retry", RetryDocumentsInput, input);
  let count = 0;
  const operation = await startOperation(ctx, {
    action: "document.retry",
    type: "APPEND",
    collectionId: data.collectionId,
    event: { name: sourceIndexRequested.name },
    inTransaction: async (tx, operationId) => {
      const collection = await findCollection(data.collectionId, tx);
      const where: SQL[] = [eq(documents.collectionId, collection.id), eq(documents.stage, "dead")];
      if ("documentIds" in data) where.push(inArray(documents.id, data.documentIds));
      else {
        if (data.matching.errorClass && !deadReason(data.matching.errorClass).retryable) throw hopeless(data.matching.errorClass);
        if (data.matching.errorStage) where.push(eq(documents.errorStage, data.matching.errorStage));
        if (data.matching.errorClass) where.push(eq(documents.errorClass, data.matching.errorClass));
      }
      // A copy of a dead letter is retried through its original; the copies follow it (see followOriginals).
      const chosen = tx
        .select({ id: sql<string>`coalesce(${original.id}, ${documents.id})`.as("id") })
        .from(documents)
        .leftJoin(original, and(eq(original.id, documents.duplicateOf), eq(original.stage, "dead")))
        .where(and(...where));
      const targets: SQL[] = [eq(documents.collectionId, collection.id), eq(documents.stage, "dead"), inArray(documents.id, chosen)];
      if ("documentIds" in data) await refuseHopeless(tx, targets);
      // "All matching" without a class means all that a retry can help; the rest stay where they are.
      targets.push(or(isNull(documents.errorClass), notInArray(documents.errorClass, [...PERMANENT_DEAD_CLASSES]))!);
      const [{ n, bytes }] = (await tx
        .select({ n: sql<number>`count(*)::int`, bytes: sql<number>`coalesce(sum(${documents.sizeBytes}), 0)::float8` })
        .from(documents)
        .where(and(...targets))) as [{ n: number; bytes: number }];
      if (n === 0) throw new ServiceError("invalid", "No dead documents that a retry can help match: nothing to retry.");
      if (n > MAX_RETRY) throw new ServiceError("invalid", `That is ${n} documents; retry at most ${MAX_RETRY} at a time (narrow the filter).`);
      // Dead documents hold no points: each retried one may add its own (its file's size as text, as for an APPEND).
      const footprint = footprintOf({ files: n, textBytes: bytes }, collection);
      await refuseBeyondLimits(tx, ctx.actor, {
        points: { collection, name: collection.name, add: footprint.points, advice: "Retry fewer documents, or ask an admin to raise the limit." },
        diskBytes: footprint.diskBytes,
      });
      count = n;
      const moved = await tx
        .update(documents)
        .set({ stage: "uploaded", operationId, stageChangedAt: new Date(), errorStage: null, errorClass: null, errorMessage: null, attempts: 0, duplicateOf: null })
        .where(and(...targets))
        .returning({ id: documents.id });
      // The copies wait, dead, in this operation, so its result counts where they end.
      const retried = tx.select({ id: original.id }).from(original).where(and(eq(original.operationId, operationId), eq(original.stage, "uploaded")));
      await tx
        .update(documents)
        .set({ operationId })
        .where(and(eq(documents.collectionId, collection.id), eq(documents.stage, "dead"), eq(documents.errorClass, DUPLICATE_OF_DEAD), inArray(documents.duplicateOf, retried)));
      await tx.insert(documentEvents).values({ documentIds: moved.map((m) => m.id), operationId, stage: "uploaded", errorClass: "retried" });
      await emitAudit(tx, ctx, { action: "document.retry", target: { type: "collection", id: collection.id }, params: { documents: n, ...("matching" in data ? { matching: data.matching } : {}) } });
      return { params: { retry: true, collection: collection.name, documents: n, footprint }, reservedBytes: footprint.diskBytes };
    },
  });
  return { operationId: operation.id, documents: count };
}
