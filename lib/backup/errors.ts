/** Why a file was refused; stable strings an operation, a route or the CLI can map and test. */
export type BackupErrorCode = "truncated" | "checksum" | "not_a_backup" | "too_large" | "future_version" | "corrupt_line";

/**
 * A backup file refused by the reader. The message is written for the operator (what is wrong and
 * what to do), never a zlib or zod string, so adapters may show it as it is.
 */
export class BackupFormatError extends Error {
  readonly code: BackupErrorCode;

  constructor(code: BackupErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BackupFormatError";
    this.code = code;
  }
}

export function isBackupFormatError(error: unknown): error is BackupFormatError {
  return error instanceof BackupFormatError;
}

/**
 * Why a stored backup cannot be used, in the operator's words: the reader's refusal, or its file
 * gone from the backup directory. Undefined for anything else (a transient failure to retry).
 */
export function unusableBackupReason(error: unknown): string | undefined {
  if (isBackupFormatError(error)) return error.message;
  if ((error as { code?: string } | null)?.code === "ENOENT") return "The backup's file is missing from the backup directory.";
  return undefined;
}
