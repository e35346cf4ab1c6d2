import { apiRoute, jsonFields } from "@/lib/api/route";
import { updateUser } from "@/lib/services/user/update";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute<{ id: string }>(async (ctx, request, { id }) => updateUser({ ctx, input: { ...(await jsonFields(request)), userId: id } }));

export const { GET, POST, PUT, DELETE, OPTIONS } = otherMethods({ PATCH });
