import { apiRoute, jsonBody } from "@/lib/api/route";
import { createCollection } from "@/lib/services/collection/create";
import { listCollections } from "@/lib/services/collection/read";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listCollections({ ctx }));
export const POST = apiRoute(async (ctx, request) => Response.json({ data: await createCollection({ ctx, input: await jsonBody(request) }) }, { status: 201 }));
