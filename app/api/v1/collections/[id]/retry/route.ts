import { apiRoute, jsonBody } from "@/lib/api/route";
import { retryDocuments } from "@/lib/services/collection/retry-documents";
import { asObject, collectionPath } from "../../ids";

export const dynamic = "force-dynamic";

/** `{ documentIds: [...] }` or `{ matching: { errorStage?, errorClass? } }`: dead documents back into the pipeline. */
export const POST = apiRoute(async (ctx, request) =>
  Response.json({ data: await retryDocuments({ ctx, input: { ...asObject(await jsonBody(request)), collectionId: collectionPath(request).collectionId } }) }, { status: 202 }),
);
