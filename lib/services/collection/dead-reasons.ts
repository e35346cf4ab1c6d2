/**
 * Why a document is dead, and whether a retry — the same file through the pipeline again — can end
 * differently. Pure data, shared by the retry verb (which refuses the hopeless ones) and the pages.
 */
export type DeadReason = { label: string; retryable: boolean; advice: string };

// A dead file's hash is what it was when it died, so "Append new and changed files" picks it up once fixed.
const APPEND = "then use “Append new and changed files” on its source: a changed file is picked up again.";

const DEAD_REASONS: Record<string, DeadReason> = {
  parse_unsupported: { label: "Unsupported format, or not text", retryable: false, advice: `Convert it to a supported format (.txt .md .html .pdf .docx .json .csv, or one of them as .gz), ${APPEND}` },
  parse_too_large: { label: "File too large", retryable: false, advice: `Split it into smaller files (or ask an admin to raise STEVEDORE_MAX_FILE_BYTES), ${APPEND}` },
  parse_empty: { label: "Empty file", retryable: false, advice: `Save or export the file completely, ${APPEND}` },
  parse_binary: { label: "Binary content in a text file", retryable: false, advice: `Replace it with the text it should hold, ${APPEND}` },
  parse_corrupt: { label: "Corrupt file", retryable: false, advice: `Check that it opens in its own application and save it again, ${APPEND}` },
  parse_encoding: { label: "Unreadable text encoding", retryable: false, advice: `Save it as UTF-8, ${APPEND}` },
  // Retrying a copy retries its original (see retryDocuments), so it may help when the original's reason allows.
  duplicate_of_dead: { label: "Copy of a dead letter", retryable: true, advice: "It shares the fate of the file it copies: see that file's reason on the document's page, fix or retry the original, and the copy follows." },
  missing: { label: "File no longer in the source", retryable: true, advice: "Put the file back in its source folder, then retry." },
  embed_rejected: { label: "Refused by the embedding service", retryable: true, advice: "Check the embedding service's configuration (model, key, input limits) on Health, then retry." },
  retries_exhausted: { label: "Failed every attempt", retryable: true, advice: "A transient failure (e.g. the embedding service unavailable) repeated; check Health, then retry." },
};

/** The error classes no retry can change: the retry verb refuses them. */
export const PERMANENT_DEAD_CLASSES: readonly string[] = Object.entries(DEAD_REASONS)
  .filter(([, reason]) => !reason.retryable)
  .map(([errorClass]) => errorClass);

/** A class not listed here (or none) may be transient: a retry is allowed. */
export function deadReason(errorClass: string | null): DeadReason {
  return DEAD_REASONS[errorClass ?? ""] ?? { label: errorClass ?? "Unclassified", retryable: true, advice: "See the document's history for its last error, then retry." };
}

/**
 * As deadReason, for a copy of a dead letter with the class its original died of: the copy shares
 * that fate (a retry of it retries the original), so a retry helps only where it helps the original.
 */
export function deadReasonOf(errorClass: string | null, originalErrorClass: string | null = null): DeadReason {
  if (errorClass !== "duplicate_of_dead" || !originalErrorClass) return deadReason(errorClass);
  const theirs = deadReason(originalErrorClass);
  return { label: `Copy of a dead letter: ${theirs.label}`, retryable: theirs.retryable, advice: `It has the same content as a dead letter and shares its fate. ${theirs.advice}` };
}

export const isRetryable = (errorClass: string | null, originalErrorClass: string | null = null) => deadReasonOf(errorClass, originalErrorClass).retryable;
