import fs from "node:fs";
import path from "node:path";

/**
 * The defaults `npm start` gives native libraries (`VAR=${VAR:-value}` in package.json's start
 * script: malloc and LanceDB tuning), for whatever starts scripts/start.ts itself (benches, e2e),
 * so it runs the console as an operator does. glibc reads them at process start: set, not inherited late.
 */
export function startScriptDefaults(): Record<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.resolve("package.json"), "utf8")) as { scripts: { start: string } };
  return Object.fromEntries([...pkg.scripts.start.matchAll(/(\w+)=\$\{\1:-([^}]*)\}/g)].map((m) => [m[1]!, m[2]!]));
}
