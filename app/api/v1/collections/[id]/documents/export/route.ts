import { apiRoute } from "@/lib/api/route";
import { csvResponse } from "@/lib/api/csv-response";
import { otherMethods } from "@/lib/api/methods";
import { exportDocumentsCsv } from "@/lib/services/collection/export-documents";

export const dynamic = "force-dynamic";

/** CSV of the documents matching stage, sourceId, errorStage, errorClass, path (the list's filter, without paging). */
export const GET = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const { collectionName, stream } = await exportDocumentsCsv({ ctx, input: { ...Object.fromEntries(new URL(request.url).searchParams), collectionId: id } });
  return csvResponse(stream, `documents-${collectionName}`);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
