import { apiRoute } from "@/lib/api/route";
import { cancelRun } from "@/lib/services/run/control";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async (ctx, _request, { id }) => {
  await cancelRun({ ctx, input: { runId: id } });
  return { cancelled: true };
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
