import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteEscalationPolicy, getEscalationPolicy, updateEscalationPolicy } from "@/lib/services/alerts/escalation-policies";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getEscalationPolicy({ ctx, input: { policyId: id } }));
export const PATCH = apiRoute<{ id: string }>(async (ctx, request, { id }) => updateEscalationPolicy({ ctx, input: { ...(await jsonFields(request)), policyId: id } }));
export const DELETE = apiRoute<{ id: string }>((ctx, _request, { id }) => deleteEscalationPolicy({ ctx, input: { policyId: id } }));

export const { POST, PUT, OPTIONS } = otherMethods({ GET, PATCH, DELETE });
