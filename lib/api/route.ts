import { NextResponse } from "next/server";
import { requestContext } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/services/context";
import { HTTP_STATUS, ServiceError } from "@/lib/services/errors";
import { getLogger } from "@/lib/observability/logger";

type Handler = (ctx: ServiceContext, request: Request) => Promise<Response | unknown>;

/** Adapter for /api/v1 routes: authenticate (token or session), run the verb, map errors to JSON. */
export function apiRoute(handler: Handler) {
  return async (request: Request): Promise<Response> => {
    const ctx = await requestContext(request);
    if (!ctx) return NextResponse.json({ error: { code: "unauthenticated", message: "Sign in or send a valid API token." } }, { status: 401 });
    try {
      const result = await handler(ctx, request);
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
