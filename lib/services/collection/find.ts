import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { collections, type Collection } from "@/db/schema/collections";
import { notFound } from "../errors";

/** The collection a verb acts on, or the verb's "not found". */
export async function findCollection(id: string, db: Executor = getDb()): Promise<Collection> {
  const [collection] = await db.select().from(collections).where(eq(collections.id, id));
  if (!collection) throw notFound("Collection");
  return collection;
}
