import { apiRoute, jsonFields } from "@/lib/api/route";
import { searchCollection } from "@/lib/services/collection/search";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** Body `{ query, limit? }`. A POST because queries can be long and should stay out of access logs. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => searchCollection({ ctx, input: { ...(await jsonFields(request)), collectionId: id } }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
