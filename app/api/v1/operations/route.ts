import { apiRoute } from "@/lib/api/route";
import { listOperations } from "@/lib/services/operation/list";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => listOperations({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }));
