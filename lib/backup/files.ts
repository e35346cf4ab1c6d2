import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { backupDir } from "@/lib/env";

/** Where a backup's file lives once complete, and while it is written (renamed only once whole and synced). */
export function backupPaths(backupId: string): { final: string; partial: string } {
  const final = path.join(backupDir(), `${backupId}.jsonl.gz`);
  return { final, partial: `${final}.partial` };
}

export async function ensureBackupDir(): Promise<string> {
  const dir = backupDir();
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Flushes the file to disk, then moves it into place: a crash leaves either no backup or a whole one. */
export async function commitFile(partial: string, final: string): Promise<void> {
  const handle = await open(partial, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, final);
}

export async function removeFiles(...files: string[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f, { force: true })));
}
