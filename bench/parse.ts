import fs from "node:fs/promises";
import path from "node:path";
import { chunkText } from "@/lib/ingest/chunk";
import { parseDocument } from "@/lib/ingest/parse";
import { ParseError } from "@/lib/ingest/types";
import { round } from "./harness";

const MAX_FILES = 10_000;
const CHUNK = { size: 1000, overlap: 150 };

/**
 * Parse + chunk throughput on real-world Markdown: the README/CHANGELOG files under node_modules
 * (up to 10,000). Files are read into memory first, so the figures exclude disk I/O.
 */
export async function benchParse(): Promise<Record<string, unknown>> {
  const paths = await findMarkdown(path.resolve("node_modules"), MAX_FILES);
  const files = await Promise.all(paths.map(async (p) => ({ path: p, bytes: await fs.readFile(p) })));
  let bytes = 0;
  let chunks = 0;
  let rejected = 0;
  const started = performance.now();
  for (const file of files) {
    bytes += file.bytes.byteLength;
    try {
      const parsed = await parseDocument({ path: file.path, bytes: file.bytes, maxBytes: 10 * 1024 * 1024 });
      chunks += chunkText(parsed.text, CHUNK).length;
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      rejected++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const mb = bytes / (1024 * 1024);
  return {
    bench: "parse",
    files: files.length,
    mb: round(mb),
    files_per_s: round(files.length / seconds),
    mb_per_s: round(mb / seconds),
    chunks,
    rejected,
    chunk_size: CHUNK.size,
    chunk_overlap: CHUNK.overlap,
  };
}

/** Breadth-first so the sample spans many packages rather than one deep tree. */
async function findMarkdown(root: string, limit: number): Promise<string[]> {
  const found: string[] = [];
  const queue = [root];
  while (queue.length && found.length < limit) {
    const dir = queue.shift()!;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) queue.push(full);
      else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name) && found.length < limit) found.push(full);
    }
  }
  return found.sort();
}
