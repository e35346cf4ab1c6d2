import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listSuppressedAlerts } from "@/lib/services/silences/read-silences";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listSuppressedAlerts({ ctx }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
