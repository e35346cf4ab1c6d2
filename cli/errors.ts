/** The CLI's exit codes (README, CLI section). */
export const EXIT = { ok: 0, failed: 1, usage: 2, auth: 3, notFound: 4, server: 5 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure: its message is for the user and is printed without a stack trace. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usage = (message: string) => new CliError(EXIT.usage, message);
