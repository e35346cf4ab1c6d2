import { describe, expect, it } from "vitest";
import { normalizeText } from "./normalize";

/** The rules in one pass over the whole text: what normalizeText must give, whatever its slices. */
function reference(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\v]/g, "\n")
    .replace(/\f/g, "\n\n")
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufeff\u200b]/g, "")
    .replace(/[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

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
