import { apiRoute } from "@/lib/api/route";
import { getOperation } from "@/lib/services/operation/list";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => getOperation({ ctx, input: { operationId: new URL(request.url).pathname.split("/").at(-1)! } }));
