import { apiRoute } from "@/lib/api/route";
import { cancelOperation } from "@/lib/services/operation/cancel";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>((ctx, _request, { id }) => cancelOperation({ ctx, input: { operationId: id } }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
