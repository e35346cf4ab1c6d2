import type { Schemas } from "@qdrant/js-client-rest";
import type { CollectionLayout, Payload } from "./types";
import { VectorStoreError } from "./validate";

/** Qdrant refuses a body over `max_request_size_mb: 32` (config/config.yaml) with a 400; half leaves room for a lower setting. */
export const QDRANT_MAX_REQUEST_BYTES = 32 * 1024 * 1024;
export const UPSERT_BATCH_BYTES = 16 * 1024 * 1024;
export const UPSERT_BATCH_POINTS = 500;
/** A scroll answer is built in Qdrant's memory and ours; bounded like an upsert body. */
export const SCROLL_PAGE_BYTES = 16 * 1024 * 1024;
// Longest JSON of one float32 at 9 significant digits plus its comma: "-123456789000000000000," (JS
// writes numbers below 1e21 without an exponent). Typical embedding values take 11-13 bytes.
const MAX_BYTES_PER_VALUE = 23;
// `{"id":"<uuid>","vector":[],"payload":}` and the comma between points.
const POINT_OVERHEAD_BYTES = 64;
// A scroll page's payloads are unknown until read: allow for a 20,000-character chunk at 3 bytes a
// character (CJK in UTF-8), its keys and some escaping.
const SCROLL_PAYLOAD_ALLOWANCE_BYTES = 64 * 1024;

/** 9 significant digits identify every float32 exactly, so this round-trips where 17-digit doubles only cost bytes. */
export function formatFloat32(value: number): number {
  return Number(Math.fround(value).toPrecision(9));
}

export function toWireVector(vector: Float32Array): number[] {
  const out = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = formatFloat32(vector[i]!);
  return out;
}

/** An upper bound on a point's bytes in an upsert body (the payload measured, the vector at its widest). */
export function estimatePointBytes(dimension: number, payload: Payload): number {
  return POINT_OVERHEAD_BYTES + dimension * MAX_BYTES_PER_VALUE + Buffer.byteLength(JSON.stringify(payload));
}

/**
 * Splits points into upsert batches of at most `maxPoints` and `maxBytes` each (estimated), in order.
 * A single point over the server's limit can never be written: refused here rather than retried as a 400.
 */
export function batchByBytes<T extends { id: string; vector: Float32Array; payload: Payload }>(
  points: T[],
  opts: { maxBytes?: number; maxPoints?: number } = {},
): T[][] {
  const maxBytes = opts.maxBytes ?? UPSERT_BATCH_BYTES;
  const maxPoints = opts.maxPoints ?? UPSERT_BATCH_POINTS;
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const p of points) {
    const size = estimatePointBytes(p.vector.length, p.payload);
    if (size > QDRANT_MAX_REQUEST_BYTES - 1024) {
      throw new VectorStoreError(`Point ${p.id} is about ${size} bytes as JSON, over Qdrant's ${QDRANT_MAX_REQUEST_BYTES}-byte request limit`);
    }
    if (current.length > 0 && (current.length >= maxPoints || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** The points to ask one scroll page for, so that its answer stays within SCROLL_PAGE_BYTES. */
export function scrollPageLimit(requested: number, dimension: number, withVectors: boolean): number {
  const perPoint = POINT_OVERHEAD_BYTES + SCROLL_PAYLOAD_ALLOWANCE_BYTES + (withVectors ? dimension * MAX_BYTES_PER_VALUE : 0);
  return Math.max(1, Math.min(requested, Math.floor(SCROLL_PAGE_BYTES / perPoint)));
}

/**
 * PUT /collections/{name}: one unnamed vector, and of the layout only what was set (the rest is the
 * server's default). `on_disk` rather than `memory`, which is new in 1.19 (docs/redoc/v1.18.x/openapi.json has none).
 */
export function createCollectionBody(size: number, distance: Schemas["Distance"], layout: CollectionLayout = {}): Schemas["CreateCollection"] {
  const hnsw = { ...(layout.hnswM !== undefined && { m: layout.hnswM }), ...(layout.hnswEfConstruct !== undefined && { ef_construct: layout.hnswEfConstruct }) };
  return {
    vectors: { size, distance, ...(layout.vectorsOnDisk !== undefined && { on_disk: layout.vectorsOnDisk }) },
    ...(Object.keys(hnsw).length > 0 && { hnsw_config: hnsw }),
    ...(layout.replicationFactor !== undefined && { replication_factor: layout.replicationFactor }),
    ...(layout.shardNumber !== undefined && { shard_number: layout.shardNumber }),
  };
}
