import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteAlertRule } from "@/lib/services/alerts/delete-rule";
import { updateAlertRule } from "@/lib/services/alerts/update-rule";

export const dynamic = "force-dynamic";

/** The fields given are changed. */
export const PATCH = apiRoute<{ id: string }>(async (ctx, request, { id }) => updateAlertRule({ ctx, input: { ...(await jsonFields(request)), ruleId: id } }));
export const DELETE = apiRoute<{ id: string }>((ctx, _request, { id }) => deleteAlertRule({ ctx, input: { ruleId: id } }));

export const { GET, POST, PUT, OPTIONS } = otherMethods({ PATCH, DELETE });
