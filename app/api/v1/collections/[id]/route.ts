import { apiRoute, confirmNameOf } from "@/lib/api/route";
import { deleteCollection } from "@/lib/services/collection/delete";
import { getCollection } from "@/lib/services/collection/read";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getCollection({ ctx, input: { collectionId: id } }));

/** Admin, destructive: `confirmName` (query parameter or JSON body) must equal the collection's name. */
export const DELETE = apiRoute<{ id: string }>(async (ctx, request, { id }) => deleteCollection({ ctx, input: { collectionId: id, confirmName: await confirmNameOf(request) } }));

export const { POST, PUT, PATCH, OPTIONS } = otherMethods({ GET, DELETE });
