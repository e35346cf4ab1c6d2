import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { KeyedMutex } from "./mutex";
import { VectorStoreError } from "./validate";

type AliasMap = Record<string, string>;
type AliasDocument = { format: "stevedore-aliases"; version: 1; aliases: AliasMap };

/**
 * Aliases for a store that has none (LanceDB): one small JSON file, replaced whole by rename, so a
 * reader always sees the complete old or the complete new map. Writers in this process queue on a
 * mutex; the app runs its vector writes in one server process, so that is the writer it serializes.
 */
export class AliasFile {
  private readonly mutex = new KeyedMutex();

  constructor(readonly file: string) {}

  async read(): Promise<AliasMap> {
    let text: string;
    try {
      text = await fs.readFile(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw e;
    }
    const doc = JSON.parse(text) as Partial<AliasDocument>;
    if (doc.format !== "stevedore-aliases" || doc.version !== 1 || typeof doc.aliases !== "object" || doc.aliases === null) {
      throw new VectorStoreError(`Alias file ${this.file} is not a Stevedore alias file (format/version mismatch)`);
    }
    return { ...doc.aliases };
  }

  /** Read-modify-write under the mutex; `change` edits the map in place (it may throw to abort). */
  async update(change: (aliases: AliasMap) => void | Promise<void>): Promise<void> {
    await this.mutex.run("file", async () => {
      const aliases = await this.read();
      const before = JSON.stringify(aliases);
      await change(aliases);
      if (JSON.stringify(aliases) === before) return;
      const doc: AliasDocument = { format: "stevedore-aliases", version: 1, aliases: sortKeys(aliases) };
      await writeFileAtomic(this.file, JSON.stringify(doc, null, 2) + "\n");
    });
  }
}

function sortKeys(map: AliasMap): AliasMap {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Temp file + fsync + rename + fsync of the folder: after a crash the file is old or new, never torn. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(tmp, "w", 0o644);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  const dirHandle = await fs.open(dir, "r");
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
