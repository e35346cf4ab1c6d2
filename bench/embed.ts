import fs from "node:fs/promises";
import path from "node:path";
import { createBuiltinEmbedder } from "@/lib/embeddings/builtin";
import { round } from "./harness";

const TARGET_BYTES = 20 * 1024 * 1024;
const DOC_CHARS = 2000;
const BATCH = 64;

/**
 * Built-in embedder throughput on ~20 MB of real prose (markdown under node_modules), cut into
 * 2 KB documents like the ingest benchmark's, embedded in batches of 64 on one core.
 */
export async function benchEmbed(): Promise<Record<string, unknown>> {
  const { docs, sourceMb } = await loadDocs();
  const embedder = createBuiltinEmbedder();
  await embedder.embed(docs.slice(0, BATCH)); // warm-up: JIT and the character class table
  const chars = docs.reduce((n, d) => n + d.length, 0);
  const start = performance.now();
  for (let i = 0; i < docs.length; i += BATCH) await embedder.embed(docs.slice(i, i + BATCH));
  const seconds = (performance.now() - start) / 1000;
  return {
    bench: "embed",
    model: embedder.model,
    dimension: embedder.dimension,
    texts: docs.length,
    mb: round(chars / 1e6),
    source_mb: round(sourceMb),
    seconds: round(seconds),
    mb_per_s: round(chars / 1e6 / seconds),
    texts_per_s: Math.round(docs.length / seconds),
  };
}

/** Markdown files until ~20 MB; if there are fewer, the documents repeat with a distinct prefix. */
async function loadDocs(): Promise<{ docs: string[]; sourceMb: number }> {
  const texts: string[] = [];
  let bytes = 0;
  const stack = [path.resolve("node_modules")];
  while (stack.length && bytes < TARGET_BYTES) {
    const dir = stack.pop()!;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== ".bin") stack.push(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith(".md")) {
        const text = await fs.readFile(full, "utf8");
        texts.push(text);
        bytes += text.length;
      }
    }
  }
  const source: string[] = [];
  for (const text of texts) {
    for (let i = 0; i < text.length; i += DOC_CHARS) {
      const doc = text.slice(i, i + DOC_CHARS);
      if (doc.trim()) source.push(doc);
    }
  }
  if (source.length === 0) source.push("vector search collections are reindexed blue green ".repeat(40));
  const docs: string[] = [];
  let total = 0;
  for (let pass = 0; total < TARGET_BYTES; pass++) {
    for (const doc of source) {
      const text = pass === 0 ? doc : `copy ${pass} ${doc}`;
      docs.push(text);
      total += text.length;
      if (total >= TARGET_BYTES) break;
    }
  }
  return { docs, sourceMb: bytes / 1e6 };
}
