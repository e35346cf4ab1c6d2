import { apiRoute } from "@/lib/api/route";
import { revokeApiToken } from "@/lib/services/api-token/revoke";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const DELETE = apiRoute<{ id: string }>((ctx, _request, { id }) => revokeApiToken({ ctx, input: { tokenId: id } }));

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods({ DELETE });
