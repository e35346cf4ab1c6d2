import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listAlerts } from "@/lib/services/alerts/list-alerts";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => listAlerts({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
