import { apiRoute } from "@/lib/api/route";
import { rerunRun } from "@/lib/services/run/control";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>((ctx, _request, { id }) => rerunRun({ ctx, input: { runId: id } }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
