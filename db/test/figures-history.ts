import { randomUUID } from "node:crypto";
import { getDb } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { operationMetrics, operations, operationStageMetrics, type OperationStage, type OperationType } from "@/db/schema/operations";

export type SeededRun = { durationMs: number; stages: Partial<Record<OperationStage, number>>; status?: "succeeded" | "failed" };

/**
 * A collection with runs of one type, oldest first (the last is the one under study): each with its
 * duration, figures and time by stage, an hour apart. Returns the collection and the operation ids.
 */
export async function seedFiguresHistory({ type = "REINDEX", runs, name = `figures-${randomUUID().slice(0, 8)}` }: { type?: OperationType; runs: SeededRun[]; name?: string }) {
  const db = getDb();
  const [collection] = await db.insert(collections).values({ name, embeddingModel: "builtin-hash", dimension: 384, chunkSize: 800, chunkOverlap: 100, vectorBackend: "lancedb", status: "ready" }).returning({ id: collections.id });
  const start = Date.now() - runs.length * 3600_000;
  const ids: string[] = [];
  for (const [i, run] of runs.entries()) {
    const id = randomUUID();
    const created = new Date(start + i * 3600_000);
    await db.insert(operations).values({ id, type, collectionId: collection!.id, status: run.status ?? "succeeded", correlationId: randomUUID(), createdAt: created, startedAt: created, finishedAt: new Date(created.getTime() + run.durationMs) });
    await db.insert(operationMetrics).values({ operationId: id, durationMs: run.durationMs, cpuUserMs: Math.round(run.durationMs * 0.6), cpuSystemMs: Math.round(run.durationMs * 0.1), peakRssBytes: 512 * 1048576, documents: 1200, chunks: 5400, vectors: 5400, bytesRead: 40 * 1048576, bytesWritten: 12 * 1048576, embeddingCalls: 22, embeddingTokens: 830_000 });
    const stages = Object.entries(run.stages).map(([stage, totalMs]) => ({ operationId: id, stage: stage as OperationStage, totalMs, calls: 22, items: 5400 }));
    if (stages.length) await db.insert(operationStageMetrics).values(stages);
    ids.push(id);
  }
  return { collectionId: collection!.id, operationIds: ids, current: ids.at(-1)! };
}
