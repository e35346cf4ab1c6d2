import { apiRoute, jsonBody } from "@/lib/api/route";
import { createUser } from "@/lib/services/user/create";
import { listUsers } from "@/lib/services/user/list";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listUsers({ ctx }));
export const POST = apiRoute(async (ctx, request) => Response.json({ data: await createUser({ ctx, input: await jsonBody(request) }) }, { status: 201 }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
