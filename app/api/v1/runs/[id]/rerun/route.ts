import { apiRoute } from "@/lib/api/route";
import { rerunRun } from "@/lib/services/run/control";

export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx, request) => rerunRun({ ctx, input: { runId: new URL(request.url).pathname.split("/").at(-2) } }));
