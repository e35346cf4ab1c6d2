import { apiRoute } from "@/lib/api/route";
import { csvResponse } from "@/lib/api/csv-response";
import { otherMethods } from "@/lib/api/methods";
import { exportOperationsCsv } from "@/lib/services/operation/export-csv";

export const dynamic = "force-dynamic";

/** The job history's filter (the list's query parameters, less the cursor) as a streamed CSV. */
export const GET = apiRoute(async (ctx, request) => csvResponse(await exportOperationsCsv({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }), "operations"));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
