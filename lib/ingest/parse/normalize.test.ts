import { describe, expect, it } from "vitest";
import { normalizeSlice, normalizeText } from "./normalize";

/** The rules in one pass over the whole text: what normalizeText must give, whatever its slices. */
const reference = (text: string) => normalizeSlice(text).trim();

/** A deterministic text of `chars` characters made of the pieces every rule acts on. */
function trickyText(chars: number, seed: number): string {
  const pieces = ["word", "x", " ", "  ", "\t", "\n", "\n\n", "\n\n\n\n", "\r\n", "\r", "\f", "\u0000", "\u200b", "\ufeff", "\u2028", "\u00a0", " \n ", "Grüße", "日本"];
  let state = seed;
  const out: string[] = [];
  for (let n = 0; n < chars; ) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const piece = pieces[state % pieces.length]!;
    out.push(piece);
    n += piece.length;
  }
  return out.join("");
}

describe("normalizeText", () => {
  it("gives the same text in slices as in one pass, for texts of several slices", () => {
    for (const seed of [1, 2, 3]) {
      const text = trickyText(3_500_000, seed);
      expect(normalizeText(text)).toBe(reference(text));
    }
  });

  it("keeps a text with no place to cut whole", () => {
    const oneLine = "word ".repeat(400_000);
    expect(normalizeText(oneLine)).toBe(reference(oneLine));
  });
});
