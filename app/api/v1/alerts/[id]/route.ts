import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { getAlert } from "@/lib/services/alerts/list-alerts";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getAlert({ ctx, input: { alertId: id } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
