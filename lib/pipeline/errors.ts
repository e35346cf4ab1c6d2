import { ServiceError } from "@/lib/services/errors";

/** A failure no retry can change (the source is gone, its folder left the allowed roots); the message is for the operator. */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentError";
  }
}

const UNREADABLE = new Set(["ENOENT", "EACCES", "EPERM", "ENOTDIR", "ELOOP"]);

/** What an operator may read about `err` when it is permanent; undefined when a retry might help. */
export function permanentReason(err: unknown): string | undefined {
  if (err instanceof PermanentError) return err.message;
  if (err instanceof ServiceError && (err.code === "invalid" || err.code === "not_found")) return err.message;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === "string" && UNREADABLE.has(code)) return "The source folder is no longer readable.";
  return undefined;
}

/** The operation's visible error for a failure that is not classified: never the raw exception text. */
export const internalError = (correlationId: string | undefined) => `Internal error (correlation id ${correlationId ?? "unknown"}).`;
