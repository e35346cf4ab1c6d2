import { apiRoute, jsonBody } from "@/lib/api/route";
import { createApiToken } from "@/lib/services/api-token/create";
import { listApiTokens } from "@/lib/services/api-token/list";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listApiTokens({ ctx }));
export const POST = apiRoute(async (ctx, request) => Response.json({ data: await createApiToken({ ctx, input: await jsonBody(request) }) }, { status: 201 }));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
