/** Route ids from the URL (`/api/v1/collections/<id>/<resource>/<childId>`), as the operations routes do. */
export function collectionPath(request: Request): { collectionId: string; childId: string | undefined } {
  const parts = new URL(request.url).pathname.split("/");
  return { collectionId: decodeURIComponent(parts[4] ?? ""), childId: parts[6] === undefined ? undefined : decodeURIComponent(parts[6]) };
}

/** A JSON object body, or a refusal the client can act on. */
export function asObject(body: unknown): Record<string, unknown> {
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
