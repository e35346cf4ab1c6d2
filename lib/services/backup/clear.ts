import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backups } from "@/db/schema/backups";
import { documents } from "@/db/schema/documents";
import { clearRequested } from "@/inngest/events";
import { backupPaths } from "@/lib/backup/files";
import { activeVersionOf } from "@/lib/reindex/versions";
import { getVectorStore } from "@/lib/vector";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { findCollection } from "../collection/find";
import { startOperation } from "../operation/start";
import { authorize, parseInput, parseReadInput } from "../verb";
import { auditRefusals } from "./refusal";
import { ClearCollectionInput } from "./schemas";

async function countsOf(collectionId: string) {
  const [docs] = await getDb().select({ n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.collectionId, collectionId));
  const version = await activeVersionOf(collectionId);
  const points = version ? await (await getVectorStore()).count(version.physicalName) : 0;
  return { documents: docs?.n ?? 0, points };
}

/** The dry run: what a clear would remove. */
export async function previewClear({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "collection.clear", "collection.clear", input);
  const data = parseReadInput(ClearCollectionInput, input);
  const collection = await findCollection(data.collectionId);
  return { dryRun: true as const, collection: collection.name, ...(await countsOf(collection.id)), backupFirst: data.backupFirst };
}

/**
 * CLEAR (admin): removes every point and document of the collection and keeps its settings and
 * sources. The admin types the collection's name; "back up first" (the default) takes a backup in
 * the same operation and clears only once it is complete.
 */
export async function clearCollection({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "collection.clear", "collection.clear", input);
  const data = await parseInput(ctx, "collection.clear", ClearCollectionInput, input);
  const collection = await auditRefusals(ctx, "collection.clear", { type: "collection", id: data.collectionId }, async () => {
    const found = await findCollection(data.collectionId);
    if (data.confirmName !== found.name) throw new ServiceError("invalid", "Type the collection's name exactly to confirm.", { confirmName: [`Type “${found.name}” to confirm.`] });
    return found;
  });
  const counts = await countsOf(collection.id);
  const backupId = data.backupFirst ? randomUUID() : undefined;
  const operation = await startOperation(ctx, {
    action: "collection.clear",
    type: "CLEAR",
    collectionId: collection.id,
    event: { name: clearRequested.name },
    params: { collection: collection.name, backupFirst: data.backupFirst, backupId, counts },
    afterInsert: async (tx, op) => {
      if (backupId) await tx.insert(backups).values({ id: backupId, collectionId: collection.id, collectionName: collection.name, operationId: op.id, kind: "full", status: "running", path: backupPaths(backupId).final, note: "Taken before a clear.", createdBy: ctx.actor.id });
      await emitAudit(tx, ctx, { action: "collection.clear", target: { type: "collection", id: collection.id }, params: { name: collection.name, backupFirst: data.backupFirst, backupId, ...counts } });
    },
  });
  return { operationId: operation.id, backupId: backupId ?? null, ...counts };
}
