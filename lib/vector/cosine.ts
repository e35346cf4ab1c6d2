import type { Distance } from "./types";

/**
 * What Qdrant stores for a cosine vector (cosine_preprocess in lib/segment/src/spaces/simple.rs):
 * the vector divided by its length, in float32, left as it is when its squared length is below
 * f32::EPSILON or within 1e-6 of 1 (is_length_zero_or_normalized in tools.rs). LanceDB stores the same.
 */
export function cosinePreprocess(vector: Float32Array): Float32Array {
  let squared = 0;
  for (let i = 0; i < vector.length; i++) squared = Math.fround(squared + Math.fround(vector[i]! * vector[i]!));
  if (squared < 2 ** -23 || Math.abs(squared - 1) <= 1e-6) return vector;
  const length = Math.fround(Math.sqrt(squared));
  return vector.map((x) => x / length);
}

/** Points as the store keeps them for this distance: cosine vectors unit length, the others unchanged. */
export function storedForm<T extends { vector: Float32Array }>(points: T[], distance: Distance): T[] {
  return distance === "cosine" ? points.map((p) => ({ ...p, vector: cosinePreprocess(p.vector) })) : points;
}
