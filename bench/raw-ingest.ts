import fs from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { walkSourceSync } from "@/lib/sources/resolve";
import { chunkId, chunkText, sha256Hex } from "@/lib/ingest/chunk";
import { parseDocument } from "@/lib/ingest/parse";
import { createBuiltinEmbedder } from "@/lib/embeddings/builtin";
import { createLanceDbStore } from "@/lib/vector/lancedb-store";
import type { VectorPoint } from "@/lib/vector/types";


/** The pipeline's work with none of its machinery: one loop, same batch sizes, same libraries. */
export async function rawIngest(root: string, lanceDir: string): Promise<{ docsPerS: number; chunks: number }> {
  const embedder = createBuiltinEmbedder({ dimension: 384 });
  const store = await createLanceDbStore({ dir: lanceDir });
  await store.createCollection("raw", { dimension: 384, distance: "cosine" });
  const files = [...walkSourceSync(root)];
  // The pipeline's own batch size (STEVEDORE_PIPELINE_BATCH_SIZE, which the benchmark's server gets too).
  const BATCH = env().STEVEDORE_PIPELINE_BATCH_SIZE;
  const started = performance.now();
  let chunks = 0;
  for (let i = 0; i < files.length; i += BATCH) {
    const points: VectorPoint[] = [];
    for (const file of files.slice(i, i + BATCH)) {
      const bytes = await fs.readFile(file.absolutePath);
      const parsed = await parseDocument({ path: file.relativePath, bytes, maxBytes: 20 * 1024 * 1024 });
      const docId = randomUUID();
      const pieces = chunkText(parsed.text, { size: 1200, overlap: 150 });
      const vectors = await embedder.embed(pieces.map((p) => p.text));
      pieces.forEach((p, j) => points.push({ id: chunkId(docId, p.ordinal, sha256Hex(p.text)), vector: vectors[j]!, payload: { document_id: docId, ordinal: p.ordinal, text: p.text, path: file.relativePath } }));
    }
    for (let j = 0; j < points.length; j += 1000) await store.upsert("raw", points.slice(j, j + 1000));
    chunks += points.length;
  }
  const docsPerS = files.length / ((performance.now() - started) / 1000);
  await store.close();
  return { docsPerS, chunks };
}
