import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { createGoldenQuery, listGoldenQueries } from "@/lib/services/reindex/golden";

export const dynamic = "force-dynamic";

/** The collection's golden queries, each with its expected documents' ids and paths. */
export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => listGoldenQueries({ ctx, input: { collectionId: id } }));

/** `{ query, expected: [path or document id, …] }` (operators): 201 with the golden query. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) =>
  Response.json({ data: await createGoldenQuery({ ctx, input: { ...(await jsonFields(request)), collectionId: id } }) }, { status: 201 }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
