import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { env } from "@/lib/env";
import { uploadFiles } from "@/lib/services/collection/upload";
import { ServiceError } from "@/lib/services/errors";

export const dynamic = "force-dynamic";

/** multipart/form-data: `files` (one or more) and optional `sourceName`. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const limit = env().STEVEDORE_MAX_UPLOAD_BYTES;
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > limit) throw new ServiceError("invalid", `The upload is ${Math.round(length / 1048576)} MB; at most ${Math.round(limit / 1048576)} MB per request.`);
  const form = await request.formData().catch(() => {
    throw new ServiceError("invalid", "Send the files as multipart/form-data.");
  });
  const files = await Promise.all(
    form
      .getAll("files")
      .filter((f): f is File => typeof f !== "string")
      .map(async (f) => ({ name: f.name, bytes: Buffer.from(await f.arrayBuffer()) })),
  );
  const result = await uploadFiles({ ctx, input: { collectionId: id, sourceName: form.get("sourceName") || undefined }, files });
  return NextResponse.json({ data: result }, { status: 202 });
});
