import { apiRoute } from "@/lib/api/route";
import { cancelRun } from "@/lib/services/run/control";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async (ctx, request) => {
  await cancelRun({ ctx, input: { runId: new URL(request.url).pathname.split("/").at(-2) } });
  return { cancelled: true };
});
