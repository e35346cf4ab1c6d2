import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { sources } from "@/db/schema/sources";
import { sourceIndexRequested } from "@/inngest/events";
import { dataPath, env } from "@/lib/env";
import { formatBytes } from "@/lib/format";
import { refuseBeyondLimits } from "@/lib/resources/check";
import { footprintOf, measureFiles } from "@/lib/resources/footprint";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { ServiceError } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput, withTransaction } from "../verb";
import { SourceName } from "./schemas";
import { findCollection } from "./find";

/**
 * A browser file received to disk (see lib/api/uploads.ts): the name it was sent with, where it
 * is and its size; `overLimit` when it passed the per-file limit and was cut off (nothing kept).
 */
export type StagedFile = { name: string; path: string; bytes: number; overLimit?: boolean };

export const UploadInput = z.object({ collectionId: z.uuid(), sourceName: SourceName.default("uploads") });

/**
 * The checks an upload route makes before it reads the body, so a refused request costs no bytes:
 * the role, and the role's limit on operations under way (the files' own limits need the files).
 */
export async function authorizeUpload(ctx: ServiceContext) {
  await authorize(ctx, "operation.start", "source.add");
  await withTransaction(ctx, "source.add", (tx) => refuseBeyondLimits(tx, ctx.actor, { operations: true }));
}

/** Only the last path segment of a browser-supplied name, without control characters or a leading dot. */
export function safeFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (!base || base === "." || base === ".." || base.startsWith(".") || Buffer.byteLength(base) > 200) return null;
  return base;
}

/** Splits browser files into those that can be stored (by safe name) and those refused, each with a reason. */
export function acceptUploads(files: StagedFile[]): { accepted: Map<string, StagedFile>; refused: Array<{ name: string; reason: string }> } {
  const maxBytes = env().STEVEDORE_MAX_FILE_BYTES;
  const refused: Array<{ name: string; reason: string }> = [];
  const accepted = new Map<string, StagedFile>();
  for (const file of files) {
    const name = safeFileName(file.name);
    if (!name) refused.push({ name: file.name, reason: "The file name cannot be used (empty, hidden or too long)." });
    else if (file.overLimit || file.bytes > maxBytes) refused.push({ name, reason: `Larger than the ${formatBytes(maxBytes)} limit for one file.` });
    else accepted.set(name, file);
  }
  if (accepted.size === 0) throw new ServiceError("invalid", files.length ? "None of the files can be uploaded." : "Choose at least one file.", { files: refused.length ? refused.map((r) => `${r.name}: ${r.reason}`) : ["Choose at least one file."] });
  return { accepted, refused };
}

/** Moves a file, copying when the staging folder is on another file system than the target. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
    await fs.copyFile(from, to);
    await fs.rm(from, { force: true });
  }
}

/**
 * Runs `fn`, which moves the accepted staged files into their source's folder with `moveInto`,
 * inside its transaction and before the commit: should the commit fail, they wait there for the
 * next APPEND. Files not moved stay where they were staged; their stager removes them.
 */
export async function withStagedUploads<T>(accepted: Map<string, StagedFile>, fn: (moveInto: (folder: string) => Promise<void>) => Promise<T>): Promise<T> {
  return fn(async (folder) => {
    await fs.mkdir(folder, { recursive: true });
    for (const [name, file] of accepted) await moveFile(file.path, path.join(folder, name));
  });
}

/**
 * Browser uploads into a collection: the files are stored under `.stevedore/uploads/<source id>/`
 * (an upload source, created on first use) and indexed by an APPEND operation. Files over the size
 * limit or with unusable names are refused one by one with a reason; the rest go ahead.
 */
export async function uploadFiles({ ctx, input, files }: { ctx: ServiceContext; input: unknown; files: StagedFile[] }) {
  await authorize(ctx, "operation.start", "source.add");
  const data = await parseInput(ctx, "source.add", UploadInput, input);
  const { accepted, refused } = acceptUploads(files);
  const size = measureFiles([...accepted].map(([name, file]) => ({ name, bytes: file.bytes })));
  return withStagedUploads(accepted, async (moveInto) => {
    const operation = await startOperation(ctx, {
      action: "source.add",
      type: "APPEND",
      collectionId: data.collectionId,
      event: { name: sourceIndexRequested.name },
      inTransaction: async (tx) => {
        const collection = await findCollection(data.collectionId, tx);
        let [source] = await tx.select().from(sources).where(and(eq(sources.collectionId, collection.id), eq(sources.name, data.sourceName)));
        if (source && source.kind !== "upload") throw new ServiceError("invalid", "That source is a server folder; choose another name for uploads.", { sourceName: ["That name belongs to a folder source."] });
        if (!source) {
          const id = randomUUID();
          [source] = await tx.insert(sources).values({ id, collectionId: collection.id, name: data.sourceName, kind: "upload", path: dataPath("uploads", id) }).returning();
        }
        const footprint = footprintOf(size, collection);
        await refuseBeyondLimits(tx, ctx.actor, {
          points: { collection, name: collection.name, add: footprint.points, advice: "Upload fewer files, or ask an admin to raise the limit." },
          diskBytes: footprint.diskBytes,
        });
        await moveInto(source!.path);
        await emitAudit(tx, ctx, { action: "source.add", target: { type: "source", id: source!.id }, params: { collection: collection.name, upload: true, files: [...accepted.keys()], refused } });
        return { params: { sourceId: source!.id, source: source!.name, collection: collection.name, footprint: { ...size, ...footprint } }, reservedBytes: footprint.diskBytes };
      },
    });
    return { operationId: operation.id, accepted: [...accepted.keys()], refused };
  });
}
