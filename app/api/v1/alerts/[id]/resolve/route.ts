import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { resolveAlert } from "@/lib/services/alerts/resolve";

export const dynamic = "force-dynamic";

/** `{ reason }`: resolves by hand, clearing the acknowledgement, and tells the rule's channels. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => resolveAlert({ ctx, input: { ...(await jsonFields(request)), alertId: id } }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
