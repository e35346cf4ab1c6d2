import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { expect, type APIRequestContext } from "@playwright/test";
import { startScriptDefaults } from "../lib/runtime/start-defaults";

const withoutInngestEnv = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("INNGEST_"))) as NodeJS.ProcessEnv;

/** Starting and killing real launchers (`npm start`'s script) outside Playwright's web server. */
export type Launched = { child: ChildProcess; output: () => string };

export function launcherFor(opts: { dataDir: string; admin: { email: string; password: string }; env?: Record<string, string> }) {
  const launched: Launched[] = [];
  const launch = (port: number): Launched => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      // The local executor with keys from the data dir, whatever INNGEST_* the shell running the tests has.
      env: { ...startScriptDefaults(), ...withoutInngestEnv(process.env), STEVEDORE_EXECUTOR: "local", STEVEDORE_DATA_DIR: opts.dataDir, PORT: String(port), STEVEDORE_ADMIN_EMAIL: opts.admin.email, STEVEDORE_ADMIN_PASSWORD: opts.admin.password, LOG_LEVEL: "warn", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const entry = { child, output: () => output };
    launched.push(entry);
    return entry;
  };
  const killAll = () => {
    for (const { child } of launched) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  };
  /** Processes whose command line names the data dir: the embedded PostgreSQL and its children. */
  const processesUsingDataDir = () =>
    fs
      .readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(opts.dataDir);
        } catch {
          return false;
        }
      })
      .map(Number);
  const signIn = async (request: APIRequestContext, base: string) => {
    const { csrfToken } = await (await request.get(`${base}/api/auth/csrf`)).json();
    await request.post(`${base}/api/auth/callback/credentials`, { form: { csrfToken, email: opts.admin.email, password: opts.admin.password, json: "true" } });
    expect((await request.get(`${base}/api/v1/me`)).status()).toBe(200);
  };
  return { launch, killAll, processesUsingDataDir, signIn };
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const isReady = (base: string) => fetch(`${base}/api/health/ready`).then((r) => r.status === 200, () => false);
