import type { Payload, PointFilter, VectorPoint } from "./types";

/** Checks shared by both adapters, so the same input fails the same way whichever backend runs. */
export class VectorStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "VectorStoreError";
  }
}

const NAME = /^[a-zA-Z0-9_-]{1,100}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Plain identifiers only: Qdrant reads dots and brackets in a key as a nested path.
const FILTER_KEY = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;

export function assertName(name: string, what = "collection"): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new VectorStoreError(`Invalid ${what} name ${JSON.stringify(name)}: use 1-100 letters, digits, "_" or "-"`);
  }
  return name;
}

/**
 * Point ids are UUIDs (the app derives them as UUID v5), because Qdrant accepts only UUIDs or
 * unsigned integers. Both adapters enforce it and store the lowercase form Qdrant returns.
 */
export function normalizePointId(id: string): string {
  const lower = typeof id === "string" ? id.toLowerCase() : "";
  if (!UUID.test(lower)) throw new VectorStoreError(`Invalid point id ${JSON.stringify(id)}: point ids must be UUIDs`);
  return lower;
}

export function toFloat32(vector: Float32Array | number[], dimension: number, id?: string): Float32Array {
  const v = vector instanceof Float32Array ? vector : Float32Array.from(vector);
  const where = id ? ` for point ${id}` : "";
  if (v.length !== dimension) {
    throw new VectorStoreError(`Vector dimension mismatch${where}: got ${v.length}, the collection expects ${dimension}`);
  }
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw new VectorStoreError(`Vector${where} has a non-finite value at index ${i}`);
  }
  return v;
}

function assertPayload(payload: Payload, id: string): void {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new VectorStoreError(`Payload of point ${id} must be an object`);
  }
  for (const [key, value] of Object.entries(payload)) {
    const ok = value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
    if (!ok) throw new VectorStoreError(`Payload key ${JSON.stringify(key)} of point ${id} must be a string, finite number, boolean or null`);
  }
}

/** Validated points with normalized ids; a batch naming one id twice keeps the last (one write per id). */
export function preparePoints(points: VectorPoint[], dimension: number): Array<{ id: string; vector: Float32Array; payload: Payload }> {
  const byId = new Map<string, { id: string; vector: Float32Array; payload: Payload }>();
  for (const p of points) {
    const id = normalizePointId(p.id);
    assertPayload(p.payload ?? {}, id);
    byId.set(id, { id, vector: toFloat32(p.vector, dimension, id), payload: p.payload ?? {} });
  }
  return [...byId.values()];
}

export type FilterValue = string | number | boolean;
export type FilterCondition = { key: string; values: FilterValue[] };

/**
 * The filter as a list of conditions, each "key equals one of values" (a scalar is a one-value list).
 * Returns null when some condition has an empty list: such a filter matches no point.
 */
export function normalizeFilter(filter: PointFilter | undefined): FilterCondition[] | null {
  const conditions: FilterCondition[] = [];
  for (const [key, raw] of Object.entries(filter ?? {})) {
    if (!FILTER_KEY.test(key)) throw new VectorStoreError(`Invalid filter key ${JSON.stringify(key)}: use letters, digits, "_" or "-"`);
    const values = Array.isArray(raw) ? raw : [raw];
    for (const v of values) {
      const ok = typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
      if (!ok) throw new VectorStoreError(`Invalid value for filter key ${JSON.stringify(key)}: ${JSON.stringify(v)}`);
    }
    if (values.length === 0) return null;
    conditions.push({ key, values });
  }
  return conditions;
}

export function assertLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new VectorStoreError(`Invalid limit ${limit}: use an integer from 1 to 10000`);
  return limit;
}

const DISTANCES = new Set(["cosine", "dot", "euclid"]);

export function assertDistance(distance: string): void {
  if (!DISTANCES.has(distance)) throw new VectorStoreError(`Invalid distance ${JSON.stringify(distance)}: use cosine, dot or euclid`);
}

export function assertDimension(dimension: number): void {
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > 65_536) throw new VectorStoreError(`Invalid dimension ${dimension}: use an integer from 1 to 65536`);
}

/** A delete with no condition would empty the collection; that is dropCollection's job, not a filter's. */
export function requireNonEmptyFilter(filter: PointFilter): PointFilter {
  if (!filter || Object.keys(filter).length === 0) throw new VectorStoreError("deleteByFilter needs at least one condition");
  return filter;
}
