import type { OperationStage } from "@/db/schema/operations";
import type { Embedder } from "@/lib/embeddings/types";
import { observeStage, PIPELINE_STAGES, type PipelineStage } from "./metrics";

export type StageFigure = { ms: number; calls: number; items: number };
export type TallyCounters = { bytesRead: number; bytesWritten: number; embeddingCalls: number; embeddingTokens: number };

const PROMETHEUS_STAGES = new Set<string>(PIPELINE_STAGES);

/**
 * One batch's figures, gathered in memory as its work runs and written once, with the batch's
 * commit (recordStageTally), so a batch costs one upsert per stage however many documents it has.
 * Pipeline stages are observed into the Prometheus histogram at the same measuring point.
 */
export class StageTally {
  readonly stages = new Map<OperationStage, StageFigure>();
  readonly counters: TallyCounters = { bytesRead: 0, bytesWritten: 0, embeddingCalls: 0, embeddingTokens: 0 };
  /** Handed to embed(): the embedder adds the tokens it counted or the provider reported. */
  readonly usage = { tokens: 0 };

  add(stage: OperationStage, ms: number, items = 0, calls = 1): void {
    const figure = this.stages.get(stage);
    if (figure) {
      figure.ms += ms;
      figure.calls += calls;
      figure.items += items;
    } else this.stages.set(stage, { ms, calls, items });
    if (PROMETHEUS_STAGES.has(stage)) observeStage(stage as PipelineStage, ms / 1000);
  }

  /** Runs `work` and adds its time (failed or not) and `items` to `stage`. */
  async time<T>(stage: OperationStage, items: number, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(stage, performance.now() - started, items);
    }
  }

  timeSync<T>(stage: OperationStage, items: number, work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.add(stage, performance.now() - started, items);
    }
  }

  /** One embedding call, timed under "embed", with the call and its tokens counted. */
  embed(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
    this.counters.embeddingCalls++;
    return this.time("embed", texts.length, () => embedder.embed(texts, { usage: this.usage }));
  }

  /** Counts points sent to the vector store as bytes written: their vectors and their text. */
  countPointsWritten(points: Array<{ vector: Float32Array | number[] | null; payload: Record<string, unknown> }>): void {
    let bytes = 0;
    for (const p of points) bytes += (p.vector ? p.vector.length * 4 : 0) + (typeof p.payload.text === "string" ? Buffer.byteLength(p.payload.text) : 0);
    this.counters.bytesWritten += bytes;
  }

  /** The counters as they stand, the embedder's tokens included. */
  totals(): TallyCounters {
    return { ...this.counters, embeddingTokens: this.counters.embeddingTokens + Math.round(this.usage.tokens) };
  }

  get empty(): boolean {
    const t = this.totals();
    return this.stages.size === 0 && t.bytesRead === 0 && t.bytesWritten === 0 && t.embeddingCalls === 0 && t.embeddingTokens === 0;
  }

  /** After a write: the next batch starts from nothing. */
  reset(): void {
    this.stages.clear();
    this.counters.bytesRead = this.counters.bytesWritten = this.counters.embeddingCalls = this.counters.embeddingTokens = 0;
    this.usage.tokens = 0;
  }
}
