import { apiRoute, jsonBody } from "@/lib/api/route";
import { isMultipart, readUploadForm } from "@/lib/api/uploads";
import { createCollection } from "@/lib/services/collection/create";
import { listCollections } from "@/lib/services/collection/read";

export const dynamic = "force-dynamic";

const optional = (value: string | undefined) => (value === "" ? undefined : value);

export const GET = apiRoute((ctx) => listCollections({ ctx }));

/**
 * JSON with `source: { kind: "directory", name, path }`, or multipart/form-data with the same
 * fields flat (`name`, `description`, `embeddingModel`, `chunkSize`, `chunkOverlap`, `sourceName`)
 * and the first source's `files`.
 */
export const POST = apiRoute(async (ctx, request) => {
  if (!isMultipart(request)) return Response.json({ data: await createCollection({ ctx, input: await jsonBody(request) }) }, { status: 201 });
  const { fields: f, files } = await readUploadForm(request);
  const input = {
    name: f.name,
    description: optional(f.description),
    embeddingModel: optional(f.embeddingModel),
    chunkSize: optional(f.chunkSize),
    chunkOverlap: optional(f.chunkOverlap),
    source: { kind: "upload", name: optional(f.sourceName) },
  };
  return Response.json({ data: await createCollection({ ctx, input, files }) }, { status: 201 });
});
