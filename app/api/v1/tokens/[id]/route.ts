import { apiRoute } from "@/lib/api/route";
import { revokeApiToken } from "@/lib/services/api-token/revoke";

export const dynamic = "force-dynamic";

export const DELETE = apiRoute((ctx, request) => revokeApiToken({ ctx, input: { tokenId: new URL(request.url).pathname.split("/").pop() } }));
