import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { embedText, type PackedEmbeddings } from "@/lib/embeddings/builtin";
import { chunkText } from "@/lib/ingest/chunk";
import { parseDocument, refuseBeforeReading } from "@/lib/ingest/parse";
import { ParseError, type ParseFailure } from "@/lib/ingest/types";
import { readFolder, sourceFileRealPathSync, type SourceFile } from "@/lib/sources/resolve";
import { measureSourceAfter } from "@/lib/sources/measure";
import { walkFrom } from "@/lib/sources/walk-from";

/** What one file became in `parseFiles`: its text and chunk count, or why it has none. */
export type ParsedFile =
  | { kind: "parsed"; text: string; title: string | null; contentHash: string; chunkCount: number }
  | { kind: "missing" }
  | { kind: "refused"; reason: ParseFailure; message: string };

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/**
 * A source file's bytes, or null when it is gone, left the root or is no regular file. The size
 * is checked on the open file before anything is read (a ParseError when it is refused).
 */
function readWithinLimit(root: string | null, relativePath: string, maxBytes: number): Buffer | null {
  let fd: number;
  try {
    if (!root) return null;
    fd = openSync(sourceFileRealPathSync(root, relativePath), "r");
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    refuseBeforeReading(relativePath, stat.size, maxBytes);
    return readFileSync(fd);
  } catch (err) {
    if (err instanceof ParseError) throw err;
    return null;
  } finally {
    closeSync(fd);
  }
}

function hashFile(file: string): string | null {
  try {
    return sha256(readFileSync(file));
  } catch {
    return null;
  }
}

/**
 * The pipeline's CPU- and file-bound work, run off the server's event loop in worker threads
 * (`./pool`). Each task takes and returns plain data; files are read synchronously, which costs
 * a worker far less than the event loop's thread-pool round trips cost the server.
 */
export const tasks = {
  /**
   * Walks a source from `folders` (a stack, next folder last) until at least `limit` files are
   * found or nothing is left: the files in walk order, each with its SHA-256, and the stack to go
   * on from. Files that are empty, over `maxBytes` or unreadable get no hash (they are never
   * anyone's duplicate, and parsing parks them).
   */
  scanFolders(input: { folders: string[]; root: string; maxBytes: number; limit: number }): { files: Array<SourceFile & { hash: string | null }>; folders: string[] } {
    const stack = [...input.folders];
    const files: Array<SourceFile & { hash: string | null }> = [];
    while (stack.length && files.length < input.limit) {
      const listed = readFolder(stack.pop()!, input.root);
      for (const f of listed.files) files.push({ ...f, hash: f.size > 0 && f.size <= input.maxBytes ? hashFile(f.absolutePath) : null });
      stack.push(...listed.folders.reverse()); // popped in name order
    }
    return { files, folders: stack };
  },

  /**
   * Up to `limit` files of a source after the relative path `after` in walk order (see
   * `walkFrom`), each with its SHA-256 as in scanFolders, stopping early after `maxMs`; the last
   * path returned is the cursor for the next call.
   */
  scanAfter(input: { root: string; after: string | null; maxBytes: number; limit: number; maxMs: number }) {
    const until = Date.now() + input.maxMs;
    return walkFrom(input.root, input.after, input.limit, (f) => ({ ...f, hash: f.size > 0 && f.size <= input.maxBytes ? hashFile(f.absolutePath) : null }), () => Date.now() > until);
  },

  /** A stretch of a source's walk, sized for the indexing estimate (lib/resources/footprint.ts): nothing is read. */
  measureSourceAfter,

  /**
   * Reads (still inside `root`), parses and chunk-counts each file; a file no parser can read is
   * refused with the reason. A file is stat'ed first: one over `maxBytes` is refused unread.
   */
  async parseFiles(input: { files: Array<{ root: string | null; path: string }>; maxBytes: number; chunkSize: number; chunkOverlap: number }): Promise<ParsedFile[]> {
    const out: ParsedFile[] = [];
    for (const file of input.files) {
      try {
        const bytes = readWithinLimit(file.root, file.path, input.maxBytes);
        if (!bytes) {
          out.push({ kind: "missing" });
          continue;
        }
        const parsed = await parseDocument({ path: file.path, bytes, maxBytes: input.maxBytes });
        const chunkCount = chunkText(parsed.text, { size: input.chunkSize, overlap: input.chunkOverlap }).length;
        out.push({ kind: "parsed", text: parsed.text, title: parsed.title ?? null, contentHash: sha256(bytes), chunkCount });
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        out.push({ kind: "refused", reason: err.reason, message: err.message });
      }
    }
    return out;
  },

  /** The built-in embedder's vectors, packed in one buffer (`dimension` floats per text; a blank text gets zeros), and the tokens it counted. */
  embedBuiltin(input: { texts: string[]; dimension: number }): PackedEmbeddings {
    const vectors = new Float32Array(input.texts.length * input.dimension);
    let tokens = 0;
    input.texts.forEach((text, i) => {
      const embedded = embedText(text, input.dimension);
      if (!embedded) return;
      vectors.set(embedded.vector, i * input.dimension);
      tokens += embedded.tokens;
    });
    return { vectors, tokens };
  },
};

export type Tasks = typeof tasks;
