import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { collections } from "@/db/schema/collections";
import { sources } from "@/db/schema/sources";
import { sourceRemoveRequested } from "@/inngest/events";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { notFound, ServiceError } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput } from "../verb";

export const RemoveSourceInput = z.object({ collectionId: z.uuid(), sourceId: z.uuid(), confirmName: z.string().trim() });

/** REMOVE_SOURCE, destructive: the operator must type the source's name to confirm. */
export async function removeSource({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "source.remove", input);
  const data = await parseInput(ctx, "source.remove", RemoveSourceInput, input);
  const operation = await startOperation(ctx, {
    action: "source.remove",
    type: "REMOVE_SOURCE",
    collectionId: data.collectionId,
    event: { name: sourceRemoveRequested.name },
    inTransaction: async (tx) => {
      const [row] = await tx
        .select({ source: sources, collection: collections })
        .from(sources)
        .innerJoin(collections, eq(collections.id, sources.collectionId))
        .where(and(eq(sources.id, data.sourceId), eq(sources.collectionId, data.collectionId)));
      if (!row) throw notFound("Source");
      if (row.source.name !== data.confirmName) {
        throw new ServiceError("invalid", "Type the source's name exactly to confirm.", { confirmName: [`Type “${row.source.name}” to confirm.`] });
      }
      await emitAudit(tx, ctx, { action: "source.remove", target: { type: "source", id: row.source.id }, params: { collection: row.collection.name, name: row.source.name } });
      return { params: { sourceId: row.source.id, source: row.source.name, collection: row.collection.name } };
    },
  });
  return { operationId: operation.id };
}
