import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { previewSilence } from "@/lib/services/silences/read-silences";

export const dynamic = "force-dynamic";

/** A read with a body (the matchers): which open alerts they would silence. */
export const POST = apiRoute(async (ctx, request) => previewSilence({ ctx, input: await jsonFields(request) }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
