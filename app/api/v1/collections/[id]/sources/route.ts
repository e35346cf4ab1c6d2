import { apiRoute, jsonFields } from "@/lib/api/route";
import { appendSource } from "@/lib/services/collection/append";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** `{ sourceId }` re-scans a source for new and changed files; `{ source: { name, path } }` adds a directory source. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const body = await jsonFields(request);
  const source = body.source && typeof body.source === "object" ? { kind: "directory", ...body.source } : body.source;
  const input = { ...body, ...(source === undefined ? {} : { source }), collectionId: id };
  return Response.json({ data: await appendSource({ ctx, input }) }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
