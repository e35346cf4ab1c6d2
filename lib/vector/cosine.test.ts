import { describe, expect, it } from "vitest";
import { cosinePreprocess, storedForm } from "./cosine";

describe("cosine vectors as stored", () => {
  it("divides by the length, and keeps zero and already-unit vectors as written (as Qdrant's cosine_preprocess)", () => {
    expect(Array.from(cosinePreprocess(Float32Array.from([3, 4])))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    const zero = new Float32Array(4);
    expect(cosinePreprocess(zero)).toBe(zero);
    const unitish = Float32Array.from([0.6, 0.8]);
    expect(cosinePreprocess(unitish)).toBe(unitish);
  });

  it("applies to cosine collections only", () => {
    const points = [{ id: "a", vector: Float32Array.from([0, 2]) }];
    expect(Array.from(storedForm(points, "cosine")[0]!.vector)).toEqual([0, 1]);
    expect(storedForm(points, "dot")).toBe(points);
    expect(storedForm(points, "euclid")).toBe(points);
  });
});
