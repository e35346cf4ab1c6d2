import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteMaintenanceWindow, getMaintenanceWindow, updateMaintenanceWindow } from "@/lib/services/silences/windows";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getMaintenanceWindow({ ctx, input: { windowId: id } }));
export const PATCH = apiRoute<{ id: string }>(async (ctx, request, { id }) => updateMaintenanceWindow({ ctx, input: { ...(await jsonFields(request)), windowId: id } }));
export const DELETE = apiRoute<{ id: string }>((ctx, _request, { id }) => deleteMaintenanceWindow({ ctx, input: { windowId: id } }));

export const { POST, PUT, OPTIONS } = otherMethods({ GET, PATCH, DELETE });
