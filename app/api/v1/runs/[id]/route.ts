import { apiRoute } from "@/lib/api/route";
import { getExecutorRun } from "@/lib/services/run/list";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => getExecutorRun({ ctx, input: { runId: new URL(request.url).pathname.split("/").at(-1)! } }));
