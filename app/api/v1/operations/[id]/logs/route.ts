import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listOperationLogs } from "@/lib/services/operation/logs";

export const dynamic = "force-dynamic";

/** A keyset page of the operation's log: `level`, `q`, `before` or `after` (a line id), `limit`. */
export const GET = apiRoute<{ id: string }>((ctx, request, { id }) => listOperationLogs({ ctx, input: { ...Object.fromEntries(new URL(request.url).searchParams), operationId: id } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
