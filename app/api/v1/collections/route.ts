import { apiRoute, jsonBody } from "@/lib/api/route";
import { isMultipart, withUploadForm } from "@/lib/api/uploads";
import { authorizeCreateCollection, createCollection, createInputFromForm } from "@/lib/services/collection/create";
import { listCollections } from "@/lib/services/collection/read";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listCollections({ ctx }));

/**
 * JSON with `source: { kind: "directory", name, path }`, or multipart/form-data with the same
 * fields flat (`name`, `description`, `embeddingModel`, `chunkSize`, `chunkOverlap`, `sourceName`)
 * and the first source's `files`, streamed to disk once the role is checked.
 */
export const POST = apiRoute(async (ctx, request) => {
  if (!isMultipart(request)) return Response.json({ data: await createCollection({ ctx, input: await jsonBody(request) }) }, { status: 201 });
  await authorizeCreateCollection(ctx);
  const created = await withUploadForm(request, ({ fields, files }) => createCollection({ ctx, input: createInputFromForm(fields, { kind: "upload", name: fields.sourceName || undefined }), files }));
  return Response.json({ data: created }, { status: 201 });
}, { accepts: "json-or-multipart" });

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
