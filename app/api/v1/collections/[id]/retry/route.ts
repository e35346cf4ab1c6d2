import { apiRoute, jsonFields } from "@/lib/api/route";
import { retryDocuments } from "@/lib/services/collection/retry-documents";

export const dynamic = "force-dynamic";

/** `{ documentIds: [...] }` or `{ matching: { errorStage?, errorClass? } }`: dead documents back into the pipeline. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) =>
  Response.json({ data: await retryDocuments({ ctx, input: { ...(await jsonFields(request)), collectionId: id } }) }, { status: 202 }),
);
