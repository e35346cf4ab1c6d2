import { apiRoute, jsonBody } from "@/lib/api/route";
import { getQuotas } from "@/lib/services/quota/get";
import { updateQuotas } from "@/lib/services/quota/update";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** Every role's limits; null is no limit. */
export const GET = apiRoute((ctx) => getQuotas({ ctx }));

/** Admins: `{ quotas: [{ role, maxConcurrentOperations, maxPointsPerCollection, maxCollections }] }`; the roles given are replaced, null is no limit. */
export const PUT = apiRoute(async (ctx, request) => updateQuotas({ ctx, input: await jsonBody(request) }));

export const { POST, PATCH, DELETE, OPTIONS } = otherMethods({ GET, PUT });
