import { apiRoute } from "@/lib/api/route";
import { revokeApiToken } from "@/lib/services/api-token/revoke";

export const dynamic = "force-dynamic";

export const DELETE = apiRoute<{ id: string }>((ctx, _request, { id }) => revokeApiToken({ ctx, input: { tokenId: id } }));
