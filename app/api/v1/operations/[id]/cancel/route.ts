import { apiRoute } from "@/lib/api/route";
import { cancelOperation } from "@/lib/services/operation/cancel";

export const dynamic = "force-dynamic";

export const POST = apiRoute((ctx, request) => cancelOperation({ ctx, input: { operationId: new URL(request.url).pathname.split("/").at(-2) } }));
