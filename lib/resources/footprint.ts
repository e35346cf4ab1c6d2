import { env } from "@/lib/env";
import { POINT_OVERHEAD } from "@/lib/reindex/estimate";
import { textBytesOf, type measureSourceAfter, type SourceSize } from "@/lib/sources/measure";
import { runTask } from "@/lib/workers/pool";

export type { SourceSize };

/** How long sizing a folder may hold up the request that starts its indexing, and the files one worker call sums. */
const WALK_MS = 3_000;
const WALK_PAGE = 20_000;

/**
 * Packed chunks carry about 80 % of their `size - overlap` budget (the Next.js docs: 3.38 MB of
 * Markdown became 3,968 chunks of 1,200/150); 75 % keeps the estimate above that.
 */
const CHUNK_FILL = 0.75;

export type Footprint = { points: number; diskBytes: number };

/**
 * The points and disk indexing `size` will take with these settings. An over-estimate on purpose:
 * every byte counts as a character of text (PDF, HTML and DOCX yield less), each file adds a last,
 * partial chunk, and a point takes its vector (4 bytes a dimension), a full chunk of text and
 * POINT_OVERHEAD; the text kept in PostgreSQL for reindexes comes on top. With the defaults
 * (384 dimensions, 1,200/150) that is about 4.8 bytes of disk a byte of text.
 */
export function footprintOf(size: Pick<SourceSize, "files" | "textBytes">, settings: { dimension: number; chunkSize: number; chunkOverlap: number }): Footprint {
  if (size.files === 0 || size.textBytes === 0) return { points: 0, diskBytes: 0 };
  const points = Math.ceil(size.textBytes / ((settings.chunkSize - settings.chunkOverlap) * CHUNK_FILL)) + size.files;
  return { points, diskBytes: points * (settings.dimension * 4 + settings.chunkSize + POINT_OVERHEAD) + size.textBytes };
}

/**
 * Sizes a source folder from its listing, in a worker thread, for at most WALK_MS: nothing is
 * read. A walk cut short says so (`complete: false`) and counts what it saw, so the checks on it
 * are then a floor: a folder that large is refused only by the part of it already over a limit.
 */
export async function measureFolder(root: string): Promise<SourceSize> {
  const maxBytes = env().STEVEDORE_MAX_FILE_BYTES;
  const until = Date.now() + WALK_MS;
  const size: SourceSize = { files: 0, textBytes: 0, complete: false };
  let after: string | null = null;
  while (!size.complete && Date.now() < until) {
    const page: ReturnType<typeof measureSourceAfter> = await runTask("measureSourceAfter", { root, after, limit: WALK_PAGE, maxMs: Math.max(100, until - Date.now()), maxBytes }, { urgent: true });
    size.files += page.files;
    size.textBytes += page.textBytes;
    size.complete = page.done;
    after = page.last;
  }
  return size;
}

/** The same for files received with a request (their sizes are known; over-limit ones are refused before this). */
export function measureFiles(files: Iterable<{ name: string; bytes: number }>): SourceSize {
  const maxBytes = env().STEVEDORE_MAX_FILE_BYTES;
  const size: SourceSize = { files: 0, textBytes: 0, complete: true };
  for (const file of files) {
    size.files++;
    size.textBytes += textBytesOf(file.name, file.bytes, maxBytes);
  }
  return size;
}
