import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { withUploadForm } from "@/lib/api/uploads";
import { authorizeUpload, uploadFiles } from "@/lib/services/collection/upload";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** multipart/form-data: `files` (one or more) and optional `sourceName`. The role is checked before the body is read. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  await authorizeUpload(ctx);
  const result = await withUploadForm(request, ({ fields, files }) => uploadFiles({ ctx, input: { collectionId: id, sourceName: fields.sourceName || undefined }, files }));
  return NextResponse.json({ data: result }, { status: 202 });
}, { accepts: "json-or-multipart" });

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
