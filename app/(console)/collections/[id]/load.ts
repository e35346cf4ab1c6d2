import { cache } from "react";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { getCollection } from "@/lib/services/collection/read";
import { orNotFound } from "@/lib/pages";

/** The layout and the open tab both need the collection: read once per request. */
export const loadCollection = cache(async (collectionId: string) => {
  const ctx = await pageContext();
  const detail = asJson(await orNotFound(getCollection({ ctx, input: { collectionId } })));
  return { ctx, detail, canOperate: can(ctx.actor.role, "operation.start"), canDelete: can(ctx.actor.role, "collection.delete") };
});
