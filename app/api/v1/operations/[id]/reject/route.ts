import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { decideReindex } from "@/lib/services/reindex/decide";

export const dynamic = "force-dynamic";

/** `{ comment }`: rejects a reindex awaiting approval. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => decideReindex({ ctx, input: { ...(await jsonFields(request)), operationId: id, decision: "reject" } }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
