import { NextResponse } from "next/server";
import { requestContext, usesBearerToken } from "@/lib/auth/actor";
import type { ServiceContext } from "@/lib/services/context";
import { HTTP_STATUS, ServiceError } from "@/lib/services/errors";
import { getLogger } from "@/lib/observability/logger";
import { refuseCrossSite, type BodyKinds } from "./csrf";

type Params = Record<string, string>;
type Handler<P extends Params> = (ctx: ServiceContext, request: Request, params: P) => Promise<Response | unknown>;

/**
 * Adapter for /api/v1 routes: authenticate (token or session), refuse cross-site use of the session
 * cookie, run the verb with the route's dynamic segments (`[id]` → `params.id`), map errors to JSON.
 * Bodies are JSON; `accepts: "json-or-multipart"` is for the upload routes only.
 */
export function apiRoute<P extends Params = Params>(handler: Handler<P>, options: { accepts?: BodyKinds } = {}) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    const ctx = await requestContext(request);
    if (!ctx) return NextResponse.json({ error: { code: "unauthenticated", message: "Sign in or send a valid API token." } }, { status: 401 });
    const refusal = usesBearerToken(request) ? null : refuseCrossSite(request, options.accepts ?? "json");
    if (refusal) {
      getLogger().warn({ correlationId: ctx.correlationId, method: request.method, origin: request.headers.get("origin"), contentType: request.headers.get("content-type") }, "cross-site request refused");
      return NextResponse.json({ error: { code: refusal.code, message: refusal.message } }, { status: refusal.status, headers: { "x-request-id": ctx.correlationId } });
    }
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

/** As jsonFields, for a POST whose body is optional: no body at all is no fields. */
export async function optionalJsonFields(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ServiceError("invalid", "The request body must be JSON.");
  }
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/**
 * The typed confirmation of a destructive DELETE: `?confirmName=` or a JSON body's `confirmName`.
 * No body is no confirmation (the verb answers on the field), not a malformed request.
 */
export async function confirmNameOf(request: Request): Promise<unknown> {
  const fromQuery = new URL(request.url).searchParams.get("confirmName");
  if (fromQuery !== null) return fromQuery;
  const text = await request.text();
  if (!text.trim()) return undefined;
  try {
    const body: unknown = JSON.parse(text);
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>).confirmName : undefined;
  } catch {
    throw new ServiceError("invalid", "The request body must be JSON.");
  }
}
