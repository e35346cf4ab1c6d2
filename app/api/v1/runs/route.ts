import { apiRoute } from "@/lib/api/route";
import { listExecutorRuns } from "@/lib/services/run/list";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => listExecutorRuns({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }));
