import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seededRandom } from "./contract-helpers";
import { batchByBytes, estimatePointBytes, formatFloat32, QDRANT_MAX_REQUEST_BYTES, scrollPageLimit, toWireVector, UPSERT_BATCH_BYTES } from "./qdrant-wire";

/** Values whose JSON is longest: 9 digits in fixed notation just below 1e21 and 1e-6, or with an exponent. */
function widestVector(dimension: number, random: () => number): Float32Array {
  const scale = [1e20, 1e-30, 1e-6];
  return Float32Array.from({ length: dimension }, (_, i) => (i % 2 ? -1 : 1) * (1.000_000_01 + random() * 8) * scale[i % 3]!);
}

// 20,000 characters of chunk text that JSON makes long: multi-byte letters, quotes and control characters.
const LONG_TEXT = "Grüße “quoted” \"x\" \\ \u0001 日本語 ".repeat(800).slice(0, 20_000);

const bodyBytes = (points: Array<{ id: string; vector: Float32Array; payload: Record<string, string | number> }>) =>
  Buffer.byteLength(JSON.stringify({ points: points.map((p) => ({ id: p.id, vector: toWireVector(p.vector), payload: p.payload })) }));

describe("float32 on the wire", () => {
  it("round-trips every float32 exactly through 9 significant digits and JSON", () => {
    const random = seededRandom(5);
    const bits = new Uint32Array(1);
    const asFloat = new Float32Array(bits.buffer);
    const samples: number[] = [Math.fround(0.1), -0, 1, Math.fround(1 / 3), 3.402_823_466e38, 1.175_494_35e-38, 1.4e-45, Math.fround(-1.23456789e-6)];
    for (let i = 0; i < 200_000; i++) {
      bits[0] = Math.floor(random() * 0xffff_ffff);
      if (Number.isFinite(asFloat[0]!)) samples.push(asFloat[0]!);
    }
    for (const x of samples) {
      const sent = JSON.stringify(formatFloat32(x));
      expect(Math.fround(Number(JSON.parse(sent))) === Math.fround(x)).toBe(true); // === : JSON writes -0 as 0
      expect(sent.replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length).toBeLessThanOrEqual(9);
    }
  });

  it("writes 9 digits where a double would take 17", () => {
    expect(JSON.stringify(Array.from(new Float32Array([0.1, 1 / 3])))).toBe("[0.10000000149011612,0.3333333432674408]");
    expect(JSON.stringify(toWireVector(new Float32Array([0.1, 1 / 3])))).toBe("[0.100000001,0.333333343]");
  });
});

describe("upsert batches bounded by bytes", () => {
  it("keeps each batch of 3072-dimension points with 20,000-character chunks under 16 MiB, half of Qdrant's 32 MiB", () => {
    const random = seededRandom(9);
    const points = Array.from({ length: 600 }, (_, i) => ({ id: randomUUID(), vector: widestVector(3072, random), payload: { text: LONG_TEXT, ordinal: i } }));
    const naive = bodyBytes(points.slice(0, 500));
    expect(naive).toBeGreaterThan(QDRANT_MAX_REQUEST_BYTES); // what 500 points per request would send
    const batches = batchByBytes(points);
    expect(batches.flat().map((p) => p.id)).toEqual(points.map((p) => p.id));
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches) {
      const bytes = bodyBytes(batch);
      expect(bytes).toBeLessThanOrEqual(UPSERT_BATCH_BYTES);
      expect(bytes).toBeLessThanOrEqual(batch.reduce((s, p) => s + estimatePointBytes(3072, p.payload), 0));
    }
  });

  it("caps batches by count when points are small, and refuses one point Qdrant could never take", () => {
    const small = Array.from({ length: 1_234 }, () => ({ id: randomUUID(), vector: new Float32Array(8), payload: {} }));
    expect(batchByBytes(small).map((b) => b.length)).toEqual([500, 500, 234]);
    const huge = [{ id: randomUUID(), vector: new Float32Array(8), payload: { text: "x".repeat(33 * 1024 * 1024) } }];
    expect(() => batchByBytes(huge)).toThrow(/request limit/);
  });
});

describe("scroll pages bounded by bytes", () => {
  it("asks for fewer points than 10,000 × 3072 dimensions (~600 MB of JSON), enough to stay within 16 MiB", () => {
    const limit = scrollPageLimit(10_000, 3072, true);
    expect(limit).toBeLessThan(10_000);
    expect(limit).toBeGreaterThan(100);
    const random = seededRandom(2);
    const page = Array.from({ length: limit }, (_, i) => ({ id: randomUUID(), vector: widestVector(3072, random), payload: { text: LONG_TEXT, ordinal: i } }));
    expect(bodyBytes(page)).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(scrollPageLimit(10, 3072, true)).toBe(10);
    expect(scrollPageLimit(10_000, 3072, false)).toBeGreaterThan(limit);
  });
});
