import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { CliError, EXIT } from "./errors";

export type Credentials = { url: string; token: string };

/** `~/.config/stevedore/config.json` (or under `$XDG_CONFIG_HOME`). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(base, "stevedore", "config.json");
}

async function readConfig(file: string): Promise<Partial<Credentials>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    return { url: typeof parsed.url === "string" ? parsed.url : undefined, token: typeof parsed.token === "string" ? parsed.token : undefined };
  } catch {
    throw new CliError(EXIT.usage, `${file} is not valid JSON: run \`stevedore login\` again to rewrite it.`);
  }
}

/** STEVEDORE_URL and STEVEDORE_TOKEN override what `login` stored. */
export async function loadCredentials(env: NodeJS.ProcessEnv = process.env): Promise<Credentials> {
  const stored = await readConfig(configPath(env));
  const url = env.STEVEDORE_URL || stored.url;
  const token = env.STEVEDORE_TOKEN || stored.token;
  if (!url || !token) throw new CliError(EXIT.auth, "Not logged in: run `stevedore login --url URL --token TOKEN` (a token from Settings → API tokens), or set STEVEDORE_URL and STEVEDORE_TOKEN.");
  return { url: normalizeUrl(url), token };
}

export function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(EXIT.usage, `Not a URL: ${url} (e.g. http://127.0.0.1:3000).`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new CliError(EXIT.usage, `Use an http:// or https:// URL, not ${parsed.protocol}`);
  return parsed.toString().replace(/\/+$/, "");
}

/** Written with mode 0600 in a 0700 folder: the file holds a bearer token. */
export async function saveCredentials(credentials: Credentials, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const file = configPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(credentials, null, 2) + "\n", { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
