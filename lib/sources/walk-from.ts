import { readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import type { SourceFile } from "./resolve";

/**
 * A source's walk order (as `walkSourceSync`): in each folder its files by name, then its
 * subfolders by name, depth first. `compareWalkOrder` orders relative paths the same way, so a
 * walk can resume after any path it has returned.
 */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

type Frame = { dir: string; filesAfter: string | null; skipFiles: boolean; foldersAfter: string | null };

/** The folders still to walk after `after` (a relative path the walk returned), next one last. */
function framesAfter(root: string, after: string | null): Frame[] {
  if (!after) return [{ dir: root, filesAfter: null, skipFiles: false, foldersAfter: null }];
  const parts = after.split(path.sep);
  const frames: Frame[] = [];
  // Ancestors: their files came before `after`; of their subfolders only those after its branch remain.
  for (let depth = 0; depth < parts.length - 1; depth++) {
    frames.push({ dir: path.join(root, ...parts.slice(0, depth)), filesAfter: null, skipFiles: true, foldersAfter: parts[depth]! });
  }
  frames.push({ dir: path.join(root, ...parts.slice(0, -1)), filesAfter: parts.at(-1)!, skipFiles: false, foldersAfter: null });
  return frames;
}

/**
 * Up to `limit` files of a source in walk order, starting after `after`, and whether the walk is
 * done. Only the names are listed whole; files are stat'ed (and `visit`ed) one by one, so a
 * folder of a million files costs a listing per call, not a million stats. Links are followed
 * only to files inside `root`; linked folders are not followed (they could loop).
 * Synchronous: for worker threads.
 */
export function walkFrom<T>(
  root: string,
  after: string | null,
  limit: number,
  visit: (file: SourceFile) => T,
  stop: () => boolean = () => false,
): { files: T[]; last: string | null; done: boolean } {
  const stack = framesAfter(root, after); // deepest last: popped first
  const files: T[] = [];
  let last = after;
  while (stack.length) {
    const frame = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(frame.dir, { withFileTypes: true });
    } catch {
      continue; // gone or unreadable since: not part of the source
    }
    entries.sort((a, b) => byName(a.name, b.name));
    const folders: string[] = [];
    for (const entry of entries) {
      const full = path.join(frame.dir, entry.name);
      const isLink = entry.isSymbolicLink();
      if (entry.isDirectory()) {
        if (frame.foldersAfter === null || entry.name > frame.foldersAfter) folders.push(full);
        continue;
      }
      if (frame.skipFiles || (frame.filesAfter !== null && entry.name <= frame.filesAfter)) continue;
      if (!isLink && !entry.isFile()) continue;
      if (files.length > 0 && (files.length >= limit || stop())) {
        // Stopped inside this folder: the rest of it and everything after is for the next call.
        return { files, last, done: false };
      }
      try {
        const target = isLink ? realpathSync(full) : full;
        if (isLink && !inside(target, root)) continue;
        const stat = statSync(target);
        if (!stat.isFile()) continue;
        const relativePath = path.relative(root, full);
        files.push(visit({ relativePath, absolutePath: target, size: stat.size }));
        last = relativePath;
      } catch {
        // gone or unreadable since the listing
      }
    }
    // Popped in name order, each subtree before the folders after it.
    for (const folder of folders.reverse()) stack.push({ dir: folder, filesAfter: null, skipFiles: false, foldersAfter: null });
  }
  return { files, last, done: true };
}
