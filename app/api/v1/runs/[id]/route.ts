import { apiRoute } from "@/lib/api/route";
import { getExecutorRun } from "@/lib/services/run/list";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getExecutorRun({ ctx, input: { runId: id } }));
