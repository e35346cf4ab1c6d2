import { apiRoute } from "@/lib/api/route";
import { listDocuments } from "@/lib/services/collection/read";
import { collectionPath } from "../../ids";

export const dynamic = "force-dynamic";

/** Query parameters stage, sourceId, errorStage, errorClass, path, after, limit. */
export const GET = apiRoute((ctx, request) =>
  listDocuments({ ctx, input: { ...Object.fromEntries(new URL(request.url).searchParams), collectionId: collectionPath(request).collectionId } }),
);
