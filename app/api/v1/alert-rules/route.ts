import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { createAlertRule } from "@/lib/services/alerts/create-rule";
import { listAlertRules } from "@/lib/services/alerts/list-rules";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listAlertRules({ ctx }));
export const POST = apiRoute(async (ctx, request) => createAlertRule({ ctx, input: await jsonFields(request) }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
