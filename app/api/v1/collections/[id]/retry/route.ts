import { apiRoute, jsonFields } from "@/lib/api/route";
import { retryDocuments } from "@/lib/services/collection/retry-documents";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** `{ documentIds: [...] }` or `{ matching: { errorStage?, errorClass? } }`: dead documents back into the pipeline. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) =>
  Response.json({ data: await retryDocuments({ ctx, input: { ...(await jsonFields(request)), collectionId: id } }) }, { status: 202 }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
