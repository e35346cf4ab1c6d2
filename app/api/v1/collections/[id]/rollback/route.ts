import { apiRoute, optionalJsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { rollBackCollection } from "@/lib/services/reindex/versions";

export const dynamic = "force-dynamic";

/** Starts a ROLLBACK to the version the last switch retired: 202 with the operation. */
/** Optional `{ toVersionId }`: the version the caller expects to go back to; refused if it is no longer that one. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => Response.json({ data: await rollBackCollection({ ctx, input: { ...(await optionalJsonFields(request)), collectionId: id } }) }, { status: 202 }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
