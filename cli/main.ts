import { Command, CommanderError } from "commander";
import pkg from "../package.json";
import { registerBackup } from "./commands/backup";
import { registerCollections } from "./commands/collections";
import { registerOps } from "./commands/ops";
import { registerReindex } from "./commands/reindex";
import { registerSession } from "./commands/session";
import { CliError, EXIT } from "./errors";

export function buildProgram(): Command {
  const program = new Command("stevedore")
    .description("Stevedore from the command line: collections, reindex, backup, restore, clear, operations.")
    .version(pkg.version)
    .option("--json", "machine-readable output on stdout")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  program.addHelpText(
    "after",
    "\nExit codes: 0 ok, 1 operation failed or refused, 2 usage error, 3 auth error, 4 not found, 5 server or network error.\nCredentials: `stevedore login`, or STEVEDORE_URL and STEVEDORE_TOKEN.",
  );
  registerSession(program);
  registerCollections(program);
  registerReindex(program);
  registerBackup(program);
  registerOps(program);
  return program;
}

/** Runs the CLI and returns its exit code; expected failures are one message on stderr, never a stack trace. */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const json = argv.includes("--json");
    if (err instanceof CliError) {
      if (json) process.stdout.write(JSON.stringify({ error: { exitCode: err.exitCode, message: err.message, details: err.details } }, null, 2) + "\n");
      process.stderr.write(`stevedore: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`stevedore: unexpected error (${err instanceof Error ? err.message : String(err)}). Set STEVEDORE_DEBUG=1 for details.\n`);
    if (process.env.STEVEDORE_DEBUG === "1") process.stderr.write(`${err instanceof Error ? err.stack : ""}\n`);
    return EXIT.server;
  }
}

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
