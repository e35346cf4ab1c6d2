import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Real files nobody here wrote: the first `count` distinct README files of this machine's packages
 * (plain text, 400 B – 20 KB), copied as `<package>--<name>` so their names stay unique.
 */
export function copyReadmes(source: string, count: number): string[] {
  fs.rmSync(source, { recursive: true, force: true });
  fs.mkdirSync(source, { recursive: true });
  const seen = new Set<string>();
  const copied: string[] = [];
  for (const pkg of fs.readdirSync("/usr/share/doc").sort()) {
    const dir = path.join("/usr/share/doc", pkg);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.startsWith("README") && !n.endsWith(".gz")).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const stat = fs.lstatSync(file);
      if (!stat.isFile() || stat.size < 400 || stat.size > 20_000) continue;
      const bytes = fs.readFileSync(file);
      const hash = createHash("sha256").update(bytes).digest("hex");
      if (seen.has(hash)) continue;
      seen.add(hash);
      const copy = `${pkg}--${name}`;
      fs.writeFileSync(path.join(source, copy), bytes);
      copied.push(copy);
      if (copied.length === count) return copied;
    }
  }
  throw new Error(`only ${copied.length} distinct README files under /usr/share/doc`);
}

/** Long lines of prose, one from each copied file that has one: the search after the switch must find the first one's file. */
export function proseLines(source: string, files: string[]): { file: string; text: string }[] {
  const lines = files.flatMap((file) => {
    const line = fs
      .readFileSync(path.join(source, file), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .find((l) => /^[A-Za-z][A-Za-z ,.'()-]{70,}$/.test(l));
    return line ? [{ file, text: line.slice(0, 120) }] : [];
  });
  if (lines.length < 5) throw new Error(`only ${lines.length} lines of prose in the copied files`);
  return lines;
}

/** `count` real copyright files of this machine's packages, distinct in content, as `<package>/copyright`. */
export function copyCopyrights(source: string, count: number): string[] {
  fs.rmSync(source, { recursive: true, force: true });
  const seen = new Set<string>();
  const copied: string[] = [];
  for (const pkg of fs.readdirSync("/usr/share/doc").sort()) {
    const file = path.join("/usr/share/doc", pkg, "copyright");
    if (!fs.existsSync(file) || fs.statSync(file).size > 64 * 1024) continue;
    const text = fs.readFileSync(file);
    const hash = createHash("sha256").update(text).digest("hex");
    if (seen.has(hash)) continue;
    seen.add(hash);
    fs.mkdirSync(path.join(source, pkg), { recursive: true });
    fs.writeFileSync(path.join(source, pkg, "copyright"), text);
    copied.push(`${pkg}/copyright`);
    if (copied.length === count) break;
  }
  return copied;
}

/** A long line only one of the files has: a query that should find that file first. */
export function distinctiveLine(source: string, files: string[]): { file: string; line: string } {
  const texts = new Map(files.map((f) => [f, fs.readFileSync(path.join(source, f), "utf8")]));
  for (const [file, text] of texts) {
    const line = text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l.length >= 50 && l.length <= 200 && /^[A-Za-z]/.test(l) && [...texts].every(([other, t]) => other === file || !t.includes(l)));
    if (line) return { file, line };
  }
  throw new Error("no distinctive line in the copied files");
}
