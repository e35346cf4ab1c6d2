import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { exportOperationLogs } from "@/lib/services/operation/logs";

export const dynamic = "force-dynamic";

/** The operation's log, filtered as the viewer filters it (`level`, `q`), streamed as NDJSON. */
export const GET = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const stream = await exportOperationLogs({ ctx, input: { ...Object.fromEntries(new URL(request.url).searchParams), operationId: id } });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="operation-${id}-log-${stamp}.ndjson"` } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
