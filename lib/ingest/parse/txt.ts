import type { Extracted } from "./normalize";

/** Plain text is already text; the title falls back to the file name. */
export function extractPlainText(text: string): Extracted {
  return { text };
}
