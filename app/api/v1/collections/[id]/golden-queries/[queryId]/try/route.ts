import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { tryGoldenQuery } from "@/lib/services/reindex/golden";

export const dynamic = "force-dynamic";

/** Runs the golden query against the live version: its top 10 documents and where the expected ones rank. */
export const GET = apiRoute<{ id: string; queryId: string }>((ctx, _request, { id, queryId }) => tryGoldenQuery({ ctx, input: { collectionId: id, queryId } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
