import { apiRoute } from "@/lib/api/route";
import { getDocumentHistory } from "@/lib/services/collection/ui-reads";
import { collectionPath } from "../../../ids";

export const dynamic = "force-dynamic";

/** The document and its stage events, oldest first. */
export const GET = apiRoute((ctx, request) => {
  const { collectionId, childId } = collectionPath(request);
  return getDocumentHistory({ ctx, input: { collectionId, documentId: childId ?? "" } });
});
