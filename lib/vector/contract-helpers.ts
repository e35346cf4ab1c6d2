import { randomUUID } from "node:crypto";
import type { Payload, VectorPoint, VectorStore } from "./types";

/** Small deterministic fixtures for the contract suite (no test framework imports here). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function randomVector(dimension: number, random: () => number): Float32Array {
  return Float32Array.from({ length: dimension }, () => random() * 2 - 1);
}

export function unit(v: ArrayLike<number>): Float32Array {
  const norm = Math.sqrt(Array.from(v).reduce((a, x) => a + x * x, 0));
  return Float32Array.from(v, (x) => x / norm);
}

export const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i]!, 0);
export const euclid = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x, i) => s + (x - b[i]!) ** 2, 0));

export function makePoints(n: number, dimension: number, opts: { seed?: number; normalize?: boolean; payload?: (i: number) => Payload } = {}): VectorPoint[] {
  const random = seededRandom(opts.seed ?? 42);
  return Array.from({ length: n }, (_, i) => {
    const v = randomVector(dimension, random);
    return { id: randomUUID(), vector: opts.normalize ? unit(v) : v, payload: opts.payload?.(i) ?? { ordinal: i } };
  });
}

/** Every point of a collection through scroll, in pages of `limit`. */
export async function scrollAll(store: VectorStore, name: string, limit: number, withVectors = false): Promise<{ points: VectorPoint[]; pages: number }> {
  const points: VectorPoint[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { points: VectorPoint[]; nextCursor: string | null } = await store.scroll(name, { limit, cursor, withVectors });
    points.push(...page.points);
    cursor = page.nextCursor;
    pages++;
    if (pages > 10_000) throw new Error("scroll did not terminate");
  } while (cursor);
  return { points, pages };
}

/** A fresh prefix per run so runs against a shared server (Qdrant) never see each other's collections. */
export function runPrefix(): string {
  return `ct_${randomUUID().slice(0, 8)}`;
}
