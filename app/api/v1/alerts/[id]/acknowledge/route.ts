import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { acknowledgeAlert } from "@/lib/services/alerts/acknowledge";

export const dynamic = "force-dynamic";

/** `{ reason }`: "I have it"; stops escalation. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => acknowledgeAlert({ ctx, input: { ...(await jsonFields(request)), alertId: id } }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
