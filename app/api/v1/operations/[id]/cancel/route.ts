import { apiRoute } from "@/lib/api/route";
import { cancelOperation } from "@/lib/services/operation/cancel";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>((ctx, _request, { id }) => cancelOperation({ ctx, input: { operationId: id } }));
