import { apiRoute, jsonBody } from "@/lib/api/route";
import { appendSource } from "@/lib/services/collection/append";
import { asObject, collectionPath } from "../../ids";

export const dynamic = "force-dynamic";

/** `{ sourceId }` re-scans a source for new and changed files; `{ source: { name, path } }` adds a directory source. */
export const POST = apiRoute(async (ctx, request) => {
  const body = asObject(await jsonBody(request));
  const source = body.source && typeof body.source === "object" ? { kind: "directory", ...body.source } : body.source;
  const input = { ...body, ...(source === undefined ? {} : { source }), collectionId: collectionPath(request).collectionId };
  return Response.json({ data: await appendSource({ ctx, input }) }, { status: 202 });
});
