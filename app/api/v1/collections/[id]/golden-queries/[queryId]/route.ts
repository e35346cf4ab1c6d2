import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteGoldenQuery } from "@/lib/services/reindex/golden";

export const dynamic = "force-dynamic";

/** Operators: later reindexes no longer check this query. */
export const DELETE = apiRoute<{ id: string; queryId: string }>((ctx, _request, { id, queryId }) => deleteGoldenQuery({ ctx, input: { collectionId: id, queryId } }));

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods({ DELETE });
