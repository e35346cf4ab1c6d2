import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";
import { ServiceError } from "@/lib/services/errors";

export function sourceRoots(): string[] {
  return env()
    .STEVEDORE_SOURCE_ROOTS.split(":")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => path.resolve(r));
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/** The real path of `p`, or else of its nearest ancestor that resolves (a link inside a root may lead outside). */
async function realpathOfNearest(p: string): Promise<{ real: string; exists: boolean }> {
  for (let current = p; ; current = path.dirname(current)) {
    const real = await fs.realpath(current).catch(() => null);
    if (real) return { real, exists: current === p };
    if (path.dirname(current) === current) return { real: current, exists: false };
  }
}

/** The one answer for anything outside the roots, whether it exists or not: no probing the server's disk. */
const outsideRoots = (roots: string[]) => new ServiceError("invalid", "That folder is outside the allowed source roots.", { path: [`Only folders under ${roots.join(", ")} are allowed.`] });

/**
 * The real path of a directory source. First a lexical check (path.resolve, no filesystem access)
 * against the allowed roots, so nothing outside them is ever touched; then, after realpath, the
 * same check again (a symlink inside a root may point outside), with the same answer.
 */
export async function resolveSourceDirectory(requested: string): Promise<string> {
  const roots = sourceRoots();
  if (roots.length === 0) throw new ServiceError("invalid", "Directory sources are disabled: set STEVEDORE_SOURCE_ROOTS to the folders they may come from.", { path: ["Directory sources are disabled on this server."] });
  if (!path.isAbsolute(requested) || requested.includes("\0")) throw new ServiceError("invalid", "Give an absolute path.", { path: ["Give an absolute path, e.g. " + roots[0] + "/docs."] });
  const resolved = path.resolve(requested);
  if (!roots.some((root) => inside(resolved, root))) throw outsideRoots(roots);
  // A missing path is judged by its nearest existing ancestor: "does not exist" only for what lies inside.
  const { real, exists } = await realpathOfNearest(resolved);
  const realRoots = await Promise.all(roots.map((r) => fs.realpath(r).catch(() => r)));
  if (!realRoots.some((root) => inside(real, root))) throw outsideRoots(roots);
  if (!exists) throw new ServiceError("invalid", "That folder does not exist on the server.", { path: ["That folder does not exist on the server."] });
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) throw new ServiceError("invalid", "That path is not a folder.", { path: ["That path is not a folder."] });
  return real;
}

/**
 * The real path of a source's root: a folder source checked against the allowed roots again (the
 * setting may have changed since it was added), an upload source's own folder under the data dir.
 */
export function realSourceRoot(source: { kind: string; path: string }): Promise<string> {
  return source.kind === "directory" ? resolveSourceDirectory(source.path) : fs.realpath(source.path);
}

export type SourceFile = { relativePath: string; absolutePath: string; size: number };

/**
 * One folder of a source: its regular files and its subfolders, each in name order. A link is
 * followed only to a file inside `root`; linked folders are not followed (they could loop).
 * Synchronous: for worker threads and scripts, not the server's event loop.
 */
export function readFolder(dir: string, root: string): { files: SourceFile[]; folders: string[] } {
  const files: SourceFile[] = [];
  const folders: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return { files, folders };
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    try {
      if (entry.isSymbolicLink()) {
        const target = realpathSync(full);
        if (!inside(target, root)) continue;
        const stat = statSync(target);
        if (stat.isFile()) files.push({ relativePath: path.relative(root, full), absolutePath: target, size: stat.size });
      } else if (entry.isDirectory()) folders.push(full);
      else if (entry.isFile()) files.push({ relativePath: path.relative(root, full), absolutePath: full, size: statSync(full).size });
    } catch {
      // gone or unreadable since the listing: not part of the source
    }
  }
  return { files, folders };
}

/** Every regular file under `root`, depth first, in a stable order (see readFolder). */
export function* walkSourceSync(root: string): Generator<SourceFile> {
  const stack = [root];
  while (stack.length) {
    const { files, folders } = readFolder(stack.pop()!, root);
    yield* files;
    stack.push(...folders.reverse()); // popped in name order
  }
}

/** Reads a source file only if it is still inside `realRoot`, the source's root as a real path (worker threads only: it blocks). */
export function readSourceFileSync(realRoot: string, relativePath: string): Buffer {
  const real = realpathSync(path.join(realRoot, relativePath));
  if (!inside(real, realRoot)) throw new Error("file left the source folder");
  return readFileSync(real);
}

/** The real path of a source's file, checked to be inside the real root, for a caller that stats before it reads. */
export function sourceFileRealPathSync(realRoot: string, relativePath: string): string {
  const real = realpathSync(path.join(realRoot, relativePath));
  if (!inside(real, realRoot)) throw new Error("file left the source folder");
  return real;
}
