import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collections, type Collection } from "@/db/schema/collections";
import { operations, type Operation } from "@/db/schema/operations";
import { sources, type Source } from "@/db/schema/sources";
import { PermanentError } from "./errors";

/** `sourceId` for INDEX, APPEND and REMOVE_SOURCE; absent when an operation retries chosen documents. */
export type CollectionOperationParams = { sourceId?: string; targetCollection?: string; retry?: boolean };

/** An operation on a collection, loaded together; throws (permanently) if either is gone. */
export async function loadOperation(operationId: string): Promise<{ op: Operation; collection: Collection; params: CollectionOperationParams }> {
  const db = getDb();
  const [op] = await db.select().from(operations).where(eq(operations.id, operationId));
  if (!op?.collectionId) throw new PermanentError("The operation's collection no longer exists.");
  const [collection] = await db.select().from(collections).where(eq(collections.id, op.collectionId));
  if (!collection) throw new PermanentError("The operation's collection no longer exists.");
  return { op, collection, params: op.params as CollectionOperationParams };
}

export async function loadSource(sourceId: string | undefined): Promise<Source> {
  const [source] = sourceId ? await getDb().select().from(sources).where(eq(sources.id, sourceId)) : [];
  if (!source) throw new PermanentError("The source no longer exists.");
  return source;
}

export const isCancelled = (op: Operation) => op.status === "cancelled" || op.status === "failed";
