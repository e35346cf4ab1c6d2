import { apiRoute } from "@/lib/api/route";
import { cancelRun } from "@/lib/services/run/control";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async (ctx, _request, { id }) => {
  await cancelRun({ ctx, input: { runId: id } });
  return { cancelled: true };
});
