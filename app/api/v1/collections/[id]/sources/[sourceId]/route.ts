import { apiRoute } from "@/lib/api/route";
import { removeSource } from "@/lib/services/collection/remove-source";
import { asObject, collectionPath } from "../../../ids";

export const dynamic = "force-dynamic";

/** Destructive: `confirmName` (query parameter or JSON body) must equal the source's name. */
export const DELETE = apiRoute(async (ctx, request) => {
  const { collectionId, childId } = collectionPath(request);
  const fromQuery = new URL(request.url).searchParams.get("confirmName");
  const body = fromQuery === null ? asObject(await request.json().catch(() => null)) : {};
  const input = { collectionId, sourceId: childId, confirmName: fromQuery ?? body.confirmName };
  return Response.json({ data: await removeSource({ ctx, input }) }, { status: 202 });
});
