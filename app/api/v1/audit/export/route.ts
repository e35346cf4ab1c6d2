import { apiRoute } from "@/lib/api/route";
import { exportAuditCsv } from "@/lib/services/audit/export-csv";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (ctx, request) => {
  const stream = await exportAuditCsv({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="audit-${stamp}.csv"` } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
