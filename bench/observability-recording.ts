import { randomUUID } from "node:crypto";
import { getDb, getSql } from "@/db/client";
import type { Embedder } from "@/lib/embeddings/types";
import { instrumentEmbedder, instrumentVectorStore } from "@/lib/observability/metrics-wrappers";
import { StageTally } from "@/lib/observability/stage-tally";
import { applyStageChanges, type StageChange } from "@/lib/pipeline/stages";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
import type { VectorStore } from "@/lib/vector/types";
import { round, timeMs } from "./harness";

const BATCH_DOCUMENTS = 64;
const STEPS = 1000;

/** A stand-in embedder and store that answer at once, so what is measured is PostgreSQL and the recording. */
function fakes(): { embedder: Embedder; store: VectorStore } {
  const vectors = Array.from({ length: BATCH_DOCUMENTS }, () => new Float32Array(384));
  const embedder = { model: "builtin-hash", dimension: 384, embed: async () => vectors, state: () => ({ model: "builtin-hash", breaker: "closed" as const, consecutiveFailures: 0, openedAt: null, retryAt: null, lastError: null }) };
  const store = { backend: "lancedb", upsert: async () => undefined } as unknown as VectorStore;
  return { embedder, store };
}

/** One operation and the 64 documents its batches move, in a collection of their own. */
async function seedBatch(): Promise<{ operationId: string; documentIds: string[] }> {
  const sql = getSql();
  const [c] = await sql<{ id: string }[]>`insert into collections (name, embedding_model, dimension, chunk_size, chunk_overlap, vector_backend, status)
    values (${`recording-${randomUUID().slice(0, 8)}`}, 'builtin-hash', 384, 800, 100, 'lancedb', 'ready') returning id`;
  const [s] = await sql<{ id: string }[]>`insert into sources (collection_id, name, kind, path) values (${c!.id}, 'docs', 'directory', '/srv/recording') returning id`;
  const [op] = await sql<{ id: string }[]>`insert into operations (type, collection_id, status, correlation_id) values ('INDEX', ${c!.id}, 'running', ${randomUUID()}) returning id`;
  const docs = await sql<{ id: string }[]>`insert into documents (collection_id, source_id, path, size_bytes, stage, operation_id)
    select ${c!.id}, ${s!.id}, 'file-' || g || '.md', 4096, 'embedding', ${op!.id} from generate_series(1, ${BATCH_DOCUMENTS}) g returning id`;
  return { operationId: op!.id, documentIds: docs.map((d) => d.id) };
}

/**
 * What recording costs one pipeline step (an embed batch of 64 documents): the same batch in the
 * same run, bare (embed, upsert, its transaction moving the documents to complete) and recorded as
 * embed-batch.ts records it (the wrappers' and the tally's prom-client updates, and
 * recordStageTally's statement in the batch's transaction). Bare and recorded steps alternate, so
 * the shared machine's bursts fall on both alike; the overhead is the difference of their medians.
 * `recording_ms` is the recording's own time inside the recorded steps (median), a check on it.
 */
export async function recordingOverheadPerStepMs(): Promise<Record<string, number>> {
  const { operationId, documentIds } = await seedBatch();
  const raw = fakes();
  const embedder = instrumentEmbedder(raw.embedder);
  const store = instrumentVectorStore(raw.store);
  const texts = documentIds.map((id) => `chunk of ${id}`);
  const points = documentIds.map((id) => ({ id, vector: new Float32Array(384), payload: { document_id: id, text: "x".repeat(800) } }));
  const changesAt = (at: Date): StageChange[] => documentIds.flatMap((id) => [{ id, stage: "embedded" as const, at }, { id, stage: "complete" as const, at }]);
  const db = getDb();
  let recordingMs = 0;

  const bare = async () => {
    texts.map((t) => t);
    await raw.embedder.embed(texts);
    await raw.store.upsert("bench", points);
    await db.transaction(async (tx) => {
      await applyStageChanges(tx, operationId, changesAt(new Date()));
    });
  };
  const recorded = async () => {
    const tally = new StageTally();
    const started = performance.now();
    tally.timeSync("chunk", texts.length, () => texts.map((t) => t));
    await tally.embed(embedder, texts);
    tally.usage.tokens += 200;
    await tally.time("store", points.length, () => store.upsert("bench", points));
    tally.countPointsWritten(points);
    tally.counters.bytesRead += 65_536;
    recordingMs = performance.now() - started;
    await db.transaction(async (tx) => {
      await applyStageChanges(tx, operationId, changesAt(new Date()));
      const writing = performance.now();
      await recordStageTally(tx, operationId, tally);
      recordingMs += performance.now() - writing;
    });
  };
  for (let i = 0; i < 20; i++) await (i % 2 ? recorded : bare)();
  const bareMs: number[] = [];
  const recordedMs: number[] = [];
  const ownMs: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    // Which of the pair goes first alternates too: a batch right after another commit is not the same batch.
    for (const variant of i % 2 ? [bare, recorded] : [recorded, bare]) {
      const ms = await timeMs(variant);
      if (variant === bare) bareMs.push(ms);
      else {
        recordedMs.push(ms);
        ownMs.push(recordingMs);
      }
    }
  }
  return {
    metric_overhead_per_step_ms: round(Math.max(0, median(recordedMs) - median(bareMs)), 3),
    recording_ms: round(median(ownMs), 3),
    batch_bare_ms: round(median(bareMs), 3),
    batch_recorded_ms: round(median(recordedMs), 3),
    steps: STEPS,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
