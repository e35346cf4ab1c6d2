import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { createEscalationPolicy, listEscalationPolicies } from "@/lib/services/alerts/escalation-policies";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listEscalationPolicies({ ctx }));
export const POST = apiRoute(async (ctx, request) => createEscalationPolicy({ ctx, input: await jsonFields(request) }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
