import { env } from "@/lib/env";
import { ServiceError } from "@/lib/services/errors";
import type { UploadedFile } from "@/lib/services/collection/upload";

/** A multipart/form-data request within STEVEDORE_MAX_UPLOAD_BYTES: its text fields and its `files`. */
export async function readUploadForm(request: Request): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  const limit = env().STEVEDORE_MAX_UPLOAD_BYTES;
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > limit) throw new ServiceError("invalid", `The upload is ${Math.round(length / 1048576)} MB; at most ${Math.round(limit / 1048576)} MB per request.`);
  const form = await request.formData().catch(() => {
    throw new ServiceError("invalid", "Send the files as multipart/form-data.");
  });
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") fields[key] = value;
    // A file input left empty still sends one nameless, empty part: that is no file.
    else if (key === "files" && (value.name || value.size)) files.push({ name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, files };
}

/** Whether the request carries a form with files rather than JSON. */
export const isMultipart = (request: Request) => (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
