import { apiRoute, jsonFields } from "@/lib/api/route";
import { updateUser } from "@/lib/services/user/update";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute<{ id: string }>(async (ctx, request, { id }) => updateUser({ ctx, input: { ...(await jsonFields(request)), userId: id } }));
