import { apiRoute, confirmNameOf } from "@/lib/api/route";
import { removeSource } from "@/lib/services/collection/remove-source";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** Destructive: `confirmName` (query parameter or JSON body) must equal the source's name. */
export const DELETE = apiRoute<{ id: string; sourceId: string }>(async (ctx, request, { id, sourceId }) => {
  const input = { collectionId: id, sourceId, confirmName: await confirmNameOf(request) };
  return Response.json({ data: await removeSource({ ctx, input }) }, { status: 202 });
});

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods({ DELETE });
