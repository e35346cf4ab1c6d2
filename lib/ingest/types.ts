/** What a parser returns: plain text ready for chunking. */
export type ParsedDocument = { text: string; mimeType: string; encoding?: string; title?: string };

export const PARSE_FAILURES = ["unsupported", "empty", "too_large", "corrupt", "binary", "encoding"] as const;
export type ParseFailure = (typeof PARSE_FAILURES)[number];

/** A document that can never be parsed as it is: it is parked as `dead` with this reason, never retried. */
export class ParseError extends Error {
  constructor(
    readonly reason: ParseFailure,
    message: string,
  ) {
    super(message);
    this.name = "ParseError";
  }
}

export type TextChunk = { ordinal: number; text: string; start: number; end: number };
