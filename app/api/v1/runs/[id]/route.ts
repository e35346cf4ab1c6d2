import { apiRoute } from "@/lib/api/route";
import { getExecutorRun } from "@/lib/services/run/list";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getExecutorRun({ ctx, input: { runId: id } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
