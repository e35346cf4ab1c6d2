import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const MAIN = path.resolve(__dirname, "../main.ts");

/** The executor as a deployment runs it (`node --import tsx main.ts`), resolved once it says it is ready. */
export async function spawnExecutorProcess(env: Record<string, string>): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", MAIN], { env: { ...process.env, LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes('"ready":true')) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`executor exited early (code ${code})`)));
  });
  return proc;
}

/** SIGKILL, resolved when the process is gone. */
export function killProcess(proc: ChildProcess | null): Promise<void> {
  if (!proc || proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once("exit", () => resolve());
    proc.kill("SIGKILL");
  });
}
