import { NextResponse } from "next/server";
import { requestContext } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/services/context";
import { HTTP_STATUS, ServiceError } from "@/lib/services/errors";
import { getLogger } from "@/lib/observability/logger";

type Params = Record<string, string>;
type Handler<P extends Params> = (ctx: ServiceContext, request: Request, params: P) => Promise<Response | unknown>;

/**
 * Adapter for /api/v1 routes: authenticate (token or session), run the verb with the route's
 * dynamic segments (`[id]` → `params.id`), map errors to JSON.
 */
export function apiRoute<P extends Params = Params>(handler: Handler<P>) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    const ctx = await requestContext(request);
    if (!ctx) return NextResponse.json({ error: { code: "unauthenticated", message: "Sign in or send a valid API token." } }, { status: 401 });
    try {
      const result = await handler(ctx, request, await route.params);
      const response = result instanceof Response ? result : NextResponse.json({ data: result });
      response.headers.set("x-request-id", ctx.correlationId);
      return response;
    } catch (err) {
      if (err instanceof ServiceError) {
        return NextResponse.json({ error: { code: err.code, message: err.message, fieldErrors: err.fieldErrors } }, { status: HTTP_STATUS[err.code] });
      }
      getLogger().error({ err, correlationId: ctx.correlationId }, "api request failed");
      return NextResponse.json({ error: { code: "internal", message: "Internal error.", reference: ctx.correlationId } }, { status: 500 });
    }
  };
}

export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ServiceError("invalid", "The request body must be JSON.");
  }
}

/** The body's fields, for merging with route params; anything but a JSON object counts as no fields. */
export async function jsonFields(request: Request): Promise<Record<string, unknown>> {
  const body = await jsonBody(request);
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
