import { apiRoute } from "@/lib/api/route";
import { getOperation } from "@/lib/services/operation/list";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getOperation({ ctx, input: { operationId: id } }));
