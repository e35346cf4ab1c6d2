/** A document's pipeline stages, in pipeline order; no imports, so client components can use them as well as the schema. */
export const DOCUMENT_STAGES = ["uploaded", "parsing", "parsed", "validated", "chunked", "embedding", "embedded", "stored", "complete", "failed", "dead"] as const;
export type DocumentStage = (typeof DOCUMENT_STAGES)[number];

/**
 * The stages a document's row rests in: queued for a stage, done, or parked. The others (parsing,
 * parsed, validated, embedding, embedded, stored) happen inside one batch step; they are recorded
 * in its history, and the row moves straight to where the step leaves it.
 */
export const RESTING_DOCUMENT_STAGES = ["uploaded", "chunked", "complete", "failed", "dead"] as const satisfies readonly DocumentStage[];
