import { apiRoute } from "@/lib/api/route";
import { csvResponse } from "@/lib/api/csv-response";
import { otherMethods } from "@/lib/api/methods";
import { exportDocumentsCsv } from "@/lib/services/collection/export-documents";

export const dynamic = "force-dynamic";

/** CSV of the dead documents matching errorStage and errorClass, with whether a retry can help each. */
export const GET = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const { errorStage, errorClass } = Object.fromEntries(new URL(request.url).searchParams);
  const { collectionName, stream } = await exportDocumentsCsv({ ctx, input: { errorStage, errorClass, stage: "dead", collectionId: id } });
  return csvResponse(stream, `dead-letters-${collectionName}`);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
