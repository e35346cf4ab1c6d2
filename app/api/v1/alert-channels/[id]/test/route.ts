import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { sendTestNotification } from "@/lib/services/alerts/test-channel";

export const dynamic = "force-dynamic";

/** Sends one test notification now; the answer says whether it got through (also in the delivery log). */
export const POST = apiRoute<{ id: string }>((ctx, _request, { id }) => sendTestNotification({ ctx, input: { channelId: id } }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
