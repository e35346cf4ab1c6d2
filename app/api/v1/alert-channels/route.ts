import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { createChannel } from "@/lib/services/alerts/create-channel";
import { listChannels } from "@/lib/services/alerts/list-channels";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listChannels({ ctx }));
/** A webhook's secret is in this answer only. */
export const POST = apiRoute(async (ctx, request) => createChannel({ ctx, input: await jsonFields(request) }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
