import type { Command } from "commander";
import { Me } from "../../lib/api/openapi/responses";
import { ApiClient } from "../client";
import { normalizeUrl, saveCredentials } from "../config";
import { outputOf } from "../context";
import { emit } from "../output";

export function registerSession(program: Command) {
  program
    .command("login")
    .description("check a token against the console (GET /api/v1/me) and store the URL and token")
    .requiredOption("--url <url>", "the console's URL, e.g. http://127.0.0.1:3000")
    .requiredOption("--token <token>", "an API token (Settings → API tokens)")
    .action(async (opts: { url: string; token: string }, command: Command) => {
      const credentials = { url: normalizeUrl(opts.url), token: opts.token };
      const me = await new ApiClient(credentials).get("/api/v1/me", Me);
      const file = await saveCredentials(credentials);
      emit(outputOf(command), { url: credentials.url, email: me.email, role: me.role, config: file }, () => `Logged in to ${credentials.url} as ${me.email} (${me.role ?? "no role"}); saved in ${file}.`);
    });
}
