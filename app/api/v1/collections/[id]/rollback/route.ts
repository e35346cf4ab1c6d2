import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { rollBackCollection } from "@/lib/services/reindex/versions";

export const dynamic = "force-dynamic";

/** Starts a ROLLBACK to the version the last switch retired: 202 with the operation. */
export const POST = apiRoute<{ id: string }>(async (ctx, _request, { id }) => Response.json({ data: await rollBackCollection({ ctx, input: { collectionId: id } }) }, { status: 202 }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
