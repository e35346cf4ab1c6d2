import { randomBytes } from "node:crypto";
import fs from "node:fs";

/**
 * A secret kept in a file under the data dir (mode 0600), created on first use. An existing file
 * that fails `valid` is an error, never silently replaced: other processes may already use it.
 */
export function persistentSecret(file: string, generate: () => string = () => randomBytes(32).toString("base64url"), valid?: RegExp): string {
  try {
    fs.writeFileSync(file, generate() + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  // Tighten a file someone loosened (or an older launcher wrote) before reading a secret from it.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const secret = fs.readFileSync(file, "utf8").trim();
  if (valid && !valid.test(secret)) throw new Error(`${file} does not hold a valid key; delete it to have a new one generated`);
  return secret;
}
