import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteChannel } from "@/lib/services/alerts/delete-channel";
import { updateChannel } from "@/lib/services/alerts/update-channel";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute<{ id: string }>(async (ctx, request, { id }) => updateChannel({ ctx, input: { ...(await jsonFields(request)), channelId: id } }));
export const DELETE = apiRoute<{ id: string }>((ctx, _request, { id }) => deleteChannel({ ctx, input: { channelId: id } }));

export const { GET, POST, PUT, OPTIONS } = otherMethods({ PATCH, DELETE });
