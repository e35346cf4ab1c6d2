import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/** Any /api/v1 path no route serves: the API's JSON error envelope, not the console's HTML 404 page. */
function noSuchRoute(request: Request): Response {
  const { pathname } = new URL(request.url);
  return NextResponse.json({ error: { code: "not_found", message: `There is no ${request.method} ${pathname.slice(0, 200)} in this API.` } }, { status: 404 });
}

export const GET = noSuchRoute;
export const POST = noSuchRoute;
export const PUT = noSuchRoute;
export const PATCH = noSuchRoute;
export const DELETE = noSuchRoute;
