import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "db", "inngest", "next.config.js", "package-lock.json", "postcss.config.mjs"];

function newestMtime(entry: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Builds the app when there is no build, or when a source file changed after the last one. */
export async function ensureBuild(say: (line: string) => void): Promise<void> {
  const buildId = path.resolve(".next/BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(path.resolve(s))));
  if (builtAt && builtAt >= sourcesAt) return;
  say(builtAt ? "sources changed since the last build: rebuilding (about a minute)" : "no build yet: building the console (about a minute)");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code})`))));
  });
}
