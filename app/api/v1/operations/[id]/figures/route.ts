import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getOperationFigures } from "@/lib/services/operation/figures";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getOperationFigures({ ctx, input: { operationId: id } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
