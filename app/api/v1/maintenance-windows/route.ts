import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { createMaintenanceWindow, listMaintenanceWindows } from "@/lib/services/silences/windows";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => listMaintenanceWindows({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }));
export const POST = apiRoute(async (ctx, request) => createMaintenanceWindow({ ctx, input: await jsonFields(request) }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
