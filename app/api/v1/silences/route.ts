import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { createSilence } from "@/lib/services/silences/create-silence";
import { listSilences } from "@/lib/services/silences/read-silences";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => listSilences({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }));
export const POST = apiRoute(async (ctx, request) => createSilence({ ctx, input: await jsonFields(request) }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
