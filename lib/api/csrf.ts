import { env } from "@/lib/env";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type BodyKinds = "json" | "json-or-multipart";
export type CsrfRefusal = { status: 403 | 415; code: "forbidden" | "unsupported_media_type"; message: string };

/** The origins the console is served from: NEXTAUTH_URL's, and the one the request itself was addressed to. */
function ownOrigins(request: Request): Set<string> {
  const origins = new Set<string>();
  const configured = env().NEXTAUTH_URL;
  if (configured) {
    try {
      origins.add(new URL(configured).origin);
    } catch {
      // an unparsable NEXTAUTH_URL is reported by next-auth itself; the Host check below still applies
    }
  }
  const url = new URL(request.url);
  // A cross-site page cannot set these headers without a preflight, which the API never grants.
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const proto = request.headers.get("x-forwarded-proto") ?? url.protocol.replace(/:$/, "");
  origins.add(`${proto.split(",")[0]!.trim()}://${host.split(",")[0]!.trim()}`);
  return origins;
}

const hasBody = (h: Headers) => h.has("content-type") || h.has("transfer-encoding") || Number(h.get("content-length") ?? "0") > 0;
const mediaType = (h: Headers) => (h.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
const isJson = (type: string) => type === "application/json" || /^application\/[\w.+-]+\+json$/.test(type);

/**
 * Cross-site request forgery guard for requests authenticated by the session cookie (API tokens are
 * not sent by browsers on their own, so they need none). A mutation must name the console as its
 * `Origin`; browsers send it on every POST/PUT/PATCH/DELETE, so a missing one is refused unless
 * `Sec-Fetch-Site: same-origin` vouches for it. A body must be JSON (multipart on upload routes),
 * which a cross-site form or no-cors fetch cannot send.
 */
export function refuseCrossSite(request: Request, accepts: BodyKinds): CsrfRefusal | null {
  if (!MUTATING.has(request.method.toUpperCase())) return null;
  const origin = request.headers.get("origin");
  const sameOrigin = origin && origin !== "null" ? ownOrigins(request).has(origin) : request.headers.get("sec-fetch-site") === "same-origin";
  if (!sameOrigin) {
    return {
      status: 403,
      code: "forbidden",
      message: "Cross-site request refused: changes made with the session cookie must come from the console's own pages. Scripts should send an API token (Authorization: Bearer).",
    };
  }
  if (!hasBody(request.headers)) return null;
  const type = mediaType(request.headers);
  if (isJson(type) || (accepts === "json-or-multipart" && type === "multipart/form-data")) return null;
  return {
    status: 415,
    code: "unsupported_media_type",
    message: accepts === "json" ? "Send the request body as JSON (Content-Type: application/json)." : "Send the request body as JSON or multipart/form-data.",
  };
}
