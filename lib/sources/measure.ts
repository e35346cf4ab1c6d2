import { walkFrom } from "./walk-from";

/**
 * A .gz file is parsed inflated, up to the per-file limit: it counts as this many times its size.
 * Text compresses 3–10 times with gzip, so this errs high for most of it.
 */
export const GZIP_RATIO = 10;

/** The text one file may yield as the pipeline reads it: none over the per-file limit (refused unread), a .gz inflated. */
export function textBytesOf(name: string, size: number, maxBytes: number): number {
  if (size > maxBytes) return 0;
  return /\.gz$/i.test(name) ? Math.min(maxBytes, size * GZIP_RATIO) : size;
}

/** What a source holds for the indexing estimate: its files and the text they may yield, and whether the walk saw all of it. */
export type SourceSize = { files: number; textBytes: number; complete: boolean };

/**
 * Up to `limit` files of a source in walk order after `after`, stopping after `maxMs` (see
 * `walkFrom`), summed: synchronous, for a worker thread. `last` is the cursor for the next call.
 */
export function measureSourceAfter(input: { root: string; after: string | null; limit: number; maxMs: number; maxBytes: number }): { files: number; textBytes: number; last: string | null; done: boolean } {
  const until = Date.now() + input.maxMs;
  let textBytes = 0;
  const walked = walkFrom(input.root, input.after, input.limit, (f) => void (textBytes += textBytesOf(f.relativePath, f.size, input.maxBytes)), () => Date.now() > until);
  return { files: walked.files.length, textBytes, last: walked.last, done: walked.done };
}
