import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { readUploadForm } from "@/lib/api/uploads";
import { uploadFiles } from "@/lib/services/collection/upload";

export const dynamic = "force-dynamic";

/** multipart/form-data: `files` (one or more) and optional `sourceName`. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const { fields, files } = await readUploadForm(request);
  const result = await uploadFiles({ ctx, input: { collectionId: id, sourceName: fields.sourceName || undefined }, files });
  return NextResponse.json({ data: result }, { status: 202 });
});
