import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getReindexPolicy, updateReindexPolicy } from "@/lib/services/reindex/policy";

export const dynamic = "force-dynamic";

/** The policy a reindex follows (`policy`), the defaults, and which fields are the default (`defaulted`). */
export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getReindexPolicy({ ctx, input: { collectionId: id } }));

/** Admins: the fields given change (`null` sets one back to its default); the others stay. */
export const PATCH = apiRoute<{ id: string }>(async (ctx, request, { id }) => updateReindexPolicy({ ctx, input: { ...(await jsonFields(request)), collectionId: id } }));

export const { POST, PUT, DELETE, OPTIONS } = otherMethods({ GET, PATCH });
