import { apiRoute } from "@/lib/api/route";
import { listDocuments } from "@/lib/services/collection/read";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** Query parameters stage, sourceId, errorStage, errorClass, path, after, limit. */
export const GET = apiRoute<{ id: string }>((ctx, request, { id }) =>
  listDocuments({ ctx, input: { ...Object.fromEntries(new URL(request.url).searchParams), collectionId: id } }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
