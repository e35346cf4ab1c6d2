import { apiRoute } from "@/lib/api/route";
import { getDocumentHistory } from "@/lib/services/collection/ui-reads";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** The document and its stage events, oldest first. */
export const GET = apiRoute<{ id: string; documentId: string }>((ctx, _request, { id, documentId }) => getDocumentHistory({ ctx, input: { collectionId: id, documentId } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
