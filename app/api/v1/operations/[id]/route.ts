import { apiRoute } from "@/lib/api/route";
import { getOperation } from "@/lib/services/operation/list";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getOperation({ ctx, input: { operationId: id } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
