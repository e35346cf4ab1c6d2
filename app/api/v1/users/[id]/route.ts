import { apiRoute, jsonBody } from "@/lib/api/route";
import { updateUser } from "@/lib/services/user/update";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute(async (ctx, request) => {
  const userId = new URL(request.url).pathname.split("/").pop();
  const body = (await jsonBody(request)) as Record<string, unknown>;
  return updateUser({ ctx, input: { ...body, userId } });
});
