import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import fs from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import busboy from "busboy";
import { dataPath, env } from "@/lib/env";
import { formatBytes } from "@/lib/format";
import { getLogger } from "@/lib/observability/logger";
import type { StagedFile } from "@/lib/services/collection/upload";
import { ServiceError } from "@/lib/services/errors";

/** Per-request limits; unset, STEVEDORE_MAX_UPLOAD_BYTES and STEVEDORE_MAX_FILE_BYTES (documents). Backups pass their own. */
export type UploadLimits = { maxUploadBytes?: number; maxFileBytes?: number };
const limitsOf = (l: UploadLimits) => ({ maxUpload: l.maxUploadBytes ?? env().STEVEDORE_MAX_UPLOAD_BYTES, maxFile: l.maxFileBytes ?? env().STEVEDORE_MAX_FILE_BYTES });

/** A received multipart form: its text fields, and its `files` staged on disk in `folder`. */
export type UploadForm = { fields: Record<string, string>; files: StagedFile[]; folder: string };

const FIELD_LIMITS = { fields: 50, fieldSize: 64 * 1024, parts: 10_000 };

const refusal = (message: string, detail = message) => new ServiceError("invalid", message, { files: [detail] });
const malformed = () => refusal("The upload could not be read: it is not a complete multipart/form-data body. Try again.");

/** The request passed its limit; files already over theirs are named, since they are the likely cause. */
function tooLarge(maxUpload: number, maxFile: number, oversized: string[]): ServiceError {
  const perFile = oversized.map((name) => `${name}: larger than the ${formatBytes(maxFile)} limit for one file.`);
  const message = oversized.length
    ? `${oversized.join(", ")} ${oversized.length === 1 ? "is" : "are"} larger than the ${formatBytes(maxFile)} limit for one file, and the upload passed ${formatBytes(maxUpload)}, the limit for one request; nothing was uploaded.`
    : `The upload is larger than ${formatBytes(maxUpload)}, the limit for one request; nothing was uploaded. Send fewer files at a time.`;
  return new ServiceError("invalid", message, { files: [`More than ${formatBytes(maxUpload)} in one upload.`, ...perFile] });
}

/**
 * Streams a multipart/form-data body into a fresh folder under `.stevedore/uploads`: each `files`
 * part goes straight to disk, text fields stay in memory (they are small). Bytes are counted as
 * they arrive, never taken from content-length. A file past STEVEDORE_MAX_FILE_BYTES is cut off,
 * deleted and marked `overLimit` (the verb refuses it by name); past STEVEDORE_MAX_UPLOAD_BYTES
 * for the request, reading stops, the folder is removed and the request is refused with the
 * reason. Call it only after the role check: it consumes the body.
 */
export async function receiveUploadForm(request: Request, limits: UploadLimits = {}): Promise<UploadForm> {
  const type = request.headers.get("content-type") ?? "";
  if (!isMultipart(request) || !request.body) throw refusal("Send the files as multipart/form-data.");
  const { maxUpload, maxFile } = limitsOf(limits);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": type }, limits: { ...FIELD_LIMITS, fileSize: maxFile }, defParamCharset: "utf8" });
  } catch {
    throw refusal("Send the files as multipart/form-data (the boundary is missing).");
  }

  const folder = dataPath("uploads", `incoming-${randomUUID()}`);
  await fs.mkdir(folder, { recursive: true });
  const fields: Record<string, string> = {};
  const files: StagedFile[] = [];
  const writes: Array<Promise<void>> = [];
  const outs: WriteStream[] = [];
  let refused: ServiceError | null = null;
  const refuse = (err: ServiceError) => void (refused ??= err);

  parser.on("field", (name, value, info) => {
    if (name === "files") return; // how busboy reads a file input left empty (filename="")
    if (info.valueTruncated) refuse(new ServiceError("invalid", `The field ${name} is too long.`, { [name]: ["This value is too long."] }));
    else fields[name] = value;
  });
  parser.on("file", (field, stream, info) => {
    stream.on("error", () => {}); // a body that breaks off fails the parser too, which is where it is reported
    if ((field !== "files" && field !== "file") || refused) return void stream.resume();
    const staged: StagedFile = { name: info.filename ?? "", path: path.join(folder, `part-${files.length}`), bytes: 0 };
    files.push(staged);
    const out = createWriteStream(staged.path);
    outs.push(out);
    stream.on("error", () => out.destroy());
    stream.pipe(out);
    // Past the per-file limit the rest of the part is dropped (still counted against the request); the file is refused by name.
    stream.on("limit", () => {
      staged.overLimit = true;
      stream.unpipe(out);
      out.destroy();
      stream.resume();
    });
    writes.push(
      new Promise<void>((resolve) => {
        out.once("close", resolve);
        out.once("error", (err) => {
          if (staged.overLimit || refused) return; // destroyed on purpose
          getLogger().error({ err }, "an upload could not be written to the staging folder");
          stream.resume(); // keep the parser draining so that the refusal is reached
          refuse(new ServiceError("unavailable", "The server could not store the upload; nothing was uploaded. Try again later."));
        });
      }).then(async () => {
        staged.bytes = out.bytesWritten;
        if (staged.overLimit) await fs.rm(staged.path, { force: true });
      }),
    );
  });
  for (const event of ["partsLimit", "filesLimit", "fieldsLimit"] as const) parser.on(event, () => refuse(refusal("The form has too many parts.")));
  parser.on("error", () => refuse(malformed()));
  const parsed = new Promise<void>((resolve, reject) => {
    parser.once("close", resolve);
    parser.once("error", reject);
  });
  parsed.catch(() => {}); // awaited below only when the whole body was read

  const reader = request.body.getReader();
  let received = 0;
  try {
    while (!refused) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxUpload) {
        refuse(tooLarge(maxUpload, maxFile, files.filter((f) => f.overLimit).map((f) => f.name || "A file")));
        break;
      }
      if (!parser.write(value) && !refused) await once(parser, "drain");
    }
    if (!refused) {
      parser.end();
      await parsed;
      await Promise.all(writes);
    }
  } catch {
    refuse(malformed());
  }
  if (refused) {
    reader.releaseLock(); // not cancelled: on a Node server that would reset the connection before the refusal is sent
    parser.destroy();
    for (const out of outs) out.destroy();
    await Promise.allSettled(writes);
    await fs.rm(folder, { recursive: true, force: true });
    throw refused;
  }
  // A file input left empty still sends one nameless, empty part: that is no file.
  return { fields, files: files.filter((f) => f.name || f.bytes), folder };
}

/**
 * After a refusal, the rest of the body is read and dropped (up to one more request's worth), so
 * that the client finishes sending and reads the refusal rather than a reset connection.
 */
async function discardRest(body: ReadableStream<Uint8Array> | null, limit: number): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  try {
    for (let dropped = 0; dropped <= limit; ) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // the client went away
  }
}

/** Receives an upload form, runs `fn` with it, then removes whatever `fn` left in the staging folder. */
export async function withUploadForm<T>(request: Request, fn: (form: UploadForm) => Promise<T>, limits: UploadLimits = {}): Promise<T> {
  const form = await receiveUploadForm(request, limits).catch((err: unknown) => {
    void discardRest(request.body, limitsOf(limits).maxUpload);
    throw err;
  });
  try {
    return await fn(form);
  } finally {
    await fs.rm(form.folder, { recursive: true, force: true });
  }
}

/** Whether the request carries a form with files rather than JSON. */
export const isMultipart = (request: Request) => (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
