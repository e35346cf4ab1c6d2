import { apiRoute, jsonBody } from "@/lib/api/route";
import { isMultipart, readUploadForm } from "@/lib/api/uploads";
import { createCollection, createInputFromForm } from "@/lib/services/collection/create";
import { listCollections } from "@/lib/services/collection/read";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx) => listCollections({ ctx }));

/**
 * JSON with `source: { kind: "directory", name, path }`, or multipart/form-data with the same
 * fields flat (`name`, `description`, `embeddingModel`, `chunkSize`, `chunkOverlap`, `sourceName`)
 * and the first source's `files`.
 */
export const POST = apiRoute(async (ctx, request) => {
  if (!isMultipart(request)) return Response.json({ data: await createCollection({ ctx, input: await jsonBody(request) }) }, { status: 201 });
  const { fields, files } = await readUploadForm(request);
  const input = createInputFromForm(fields, { kind: "upload", name: fields.sourceName || undefined });
  return Response.json({ data: await createCollection({ ctx, input, files }) }, { status: 201 });
});
