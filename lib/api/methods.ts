import { NextResponse } from "next/server";
import { correlationIdFrom } from "@/lib/auth/request-meta";

export const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type ApiMethod = (typeof API_METHODS)[number];

// What Next passes a route handler; the 405 answers ignore it.
type RouteHandler = (request: Request, route: { params: Promise<never> }) => Promise<Response>;
type Refusal = (request: Request) => Promise<Response>;

/** The methods a route answers, as an `Allow` header: HEAD comes with GET (Next serves it), OPTIONS always. */
function allowHeader(served: string[]): string {
  return [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
}

/**
 * For the end of a route file: `export const { PUT, PATCH, OPTIONS } = otherMethods({ GET, POST })`.
 * Next answers a method a route does not export with an empty 405; these answer it in the API's
 * error envelope with `Allow`, and OPTIONS with the same `Allow`. No authentication: it is only the API's shape.
 */
export function otherMethods<Served extends Partial<Record<ApiMethod, RouteHandler>>>(served: Served): Record<Exclude<ApiMethod, keyof Served> | "OPTIONS", Refusal> {
  const allowed = API_METHODS.filter((m) => served[m]);
  const allow = allowHeader(allowed);
  const refuse: Refusal = async (request) => {
    const { pathname } = new URL(request.url);
    const message = `${request.method} is not supported on ${pathname.slice(0, 200)}: use ${allowed.join(" or ")}.`;
    return NextResponse.json({ error: { code: "method_not_allowed", message } }, { status: 405, headers: { allow, "x-request-id": correlationIdFrom(request.headers) } });
  };
  const handlers: Record<string, Refusal> = { OPTIONS: async () => new Response(null, { status: 204, headers: { allow } }) };
  for (const method of API_METHODS) if (!served[method]) handlers[method] = refuse;
  return handlers as Record<Exclude<ApiMethod, keyof Served> | "OPTIONS", Refusal>;
}
