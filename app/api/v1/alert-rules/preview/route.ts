import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { previewAlertRule } from "@/lib/services/alerts/preview-rule";

export const dynamic = "force-dynamic";

/** Reads only: what the rule given would have fired over the last 24 h. */
export const POST = apiRoute(async (ctx, request) => previewAlertRule({ ctx, input: await jsonFields(request) }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
