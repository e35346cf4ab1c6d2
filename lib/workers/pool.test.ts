import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashText } from "@/lib/embeddings/builtin";
import { chunkText } from "@/lib/ingest/chunk";
import { junkBytes, makePdf } from "@/lib/ingest/parse/test-fixtures";
import { reloadEnv } from "@/lib/env";
import { runTask, stopWorkers } from "./pool";

/** The pipeline's worker tasks, run in real worker threads. */
describe("worker pool", () => {
  let dir: string;
  beforeAll(async () => {
    process.env.STEVEDORE_WORKER_THREADS = "1";
    reloadEnv();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-workers-"));
    await fs.mkdir(path.join(dir, "root"));
    await fs.writeFile(path.join(dir, "root", "a.md"), "# Title A\n\n" + "Harbour cranes lift containers. ".repeat(80));
    await fs.writeFile(path.join(dir, "root", "junk.txt"), junkBytes(4096));
    await fs.writeFile(path.join(dir, "root", "doc.pdf"), await makePdf({ title: "Manifest", pages: [["Seventeen crates of saffron."]] }));
    await fs.writeFile(path.join(dir, "outside.md"), "secret");
    await fs.symlink(path.join(dir, "outside.md"), path.join(dir, "root", "link.md"));
    await fs.symlink(path.join(dir, "root", "a.md"), path.join(dir, "root", "link-inside.md"));
    await fs.writeFile(path.join(dir, "root", "empty.txt"), "");
    await fs.mkdir(path.join(dir, "root", "nested"));
    await fs.writeFile(path.join(dir, "root", "nested", "deep.md"), "# Deep\n\nBelow the root.");
  });
  afterAll(async () => {
    await stopWorkers();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("walks a source a flush at a time with sizes and hashes, following links only to files inside the root", async () => {
    const root = await fs.realpath(path.join(dir, "root"));
    const { files, folders } = await runTask("scanFolders", { folders: [root], root, maxBytes: 1 << 20, limit: 1 });
    expect(folders).toEqual([path.join(root, "nested")]); // stopped after the first folder: it held enough files
    const sha = async (p: string) => createHash("sha256").update(await fs.readFile(p)).digest("hex");
    expect(files.map((f) => [f.relativePath, f.size, f.hash])).toEqual([
      ["a.md", (await fs.stat(path.join(root, "a.md"))).size, await sha(path.join(root, "a.md"))],
      ["doc.pdf", (await fs.stat(path.join(root, "doc.pdf"))).size, await sha(path.join(root, "doc.pdf"))],
      ["empty.txt", 0, null],
      ["junk.txt", 4096, await sha(path.join(root, "junk.txt"))],
      ["link-inside.md", (await fs.stat(path.join(root, "a.md"))).size, await sha(path.join(root, "a.md"))],
    ]);
    const all = await runTask("scanFolders", { folders: [root], root, maxBytes: 100, limit: 1000 });
    expect(all.folders).toEqual([]);
    expect(all.files.map((f) => f.relativePath)).toEqual(["a.md", "doc.pdf", "empty.txt", "junk.txt", "link-inside.md", path.join("nested", "deep.md")]);
    expect(all.files.find((f) => f.relativePath === "junk.txt")?.hash).toBeNull();
  });

  it("parses files inside the root, refuses what no parser reads, and treats a link out of the root as missing", async () => {
    const root = await fs.realpath(path.join(dir, "root"));
    const files = ["a.md", "junk.txt", "doc.pdf", "link.md", "gone.md"].map((p) => ({ root, path: p }));
    const [md, junk, pdf, link, gone] = await runTask("parseFiles", { files, maxBytes: 1 << 20, chunkSize: 400, chunkOverlap: 40 });
    expect(md).toMatchObject({ kind: "parsed", title: "Title A" });
    if (md?.kind !== "parsed") throw new Error("unreachable");
    expect(md.chunkCount).toBe(chunkText(md.text, { size: 400, overlap: 40 }).length);
    expect(md.chunkCount).toBeGreaterThan(1);
    expect(junk).toMatchObject({ kind: "refused", reason: "binary" });
    expect(pdf).toMatchObject({ kind: "parsed", title: "Manifest" });
    expect(link).toEqual({ kind: "missing" });
    expect(gone).toEqual({ kind: "missing" });
  });

  it("refuses a file over the size limit from its size alone, without reading it", async () => {
    const root = await fs.realpath(path.join(dir, "root"));
    // 3 GiB that take no disk (sparse): reading them whole would fail or fill the worker's memory.
    await fs.writeFile(path.join(root, "huge.txt"), "");
    await fs.truncate(path.join(root, "huge.txt"), 3 * 1024 ** 3);
    try {
      const [huge, small] = await runTask("parseFiles", { files: [{ root, path: "huge.txt" }, { root, path: "a.md" }], maxBytes: 20 * 1024 * 1024, chunkSize: 400, chunkOverlap: 40 });
      expect(huge).toEqual({ kind: "refused", reason: "too_large", message: expect.stringMatching(/^The file is 3 GiB, over the 20 MiB limit for one document/) });
      expect(small).toMatchObject({ kind: "parsed", title: "Title A" });
    } finally {
      await fs.rm(path.join(root, "huge.txt"));
    }
  });

  it("embeds as the built-in embedder does on this thread, packed one vector after another", async () => {
    const texts = ["cargo manifest", "tide tables for the pilot"];
    const packed = await runTask("embedBuiltin", { texts, dimension: 16 });
    expect(packed.vectors).toHaveLength(32);
    expect([...packed.vectors.subarray(16)]).toEqual([...hashText(texts[1]!, 16)!]);
    expect(packed.tokens).toBe(7);
  });

  it("runs urgent tasks ahead of those already waiting", async () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `cargo manifest line ${i} `.repeat(20));
    const order: string[] = [];
    const track = <T>(name: string, p: Promise<T>) => p.then(() => order.push(name));
    // One worker at most here: the first task occupies it while the others wait in the queue.
    await Promise.all([
      track("first", runTask("embedBuiltin", { texts, dimension: 64 })),
      track("second", runTask("embedBuiltin", { texts, dimension: 64 })),
      track("urgent", runTask("scanFolders", { folders: [path.join(dir, "root")], root: path.join(dir, "root"), maxBytes: 1, limit: 1 }, { urgent: true })),
    ]);
    expect(order).toEqual(["first", "urgent", "second"]);
  });

  it("fails the tasks of stopped workers and starts new ones for the next task", async () => {
    const running = runTask("embedBuiltin", { texts: Array.from({ length: 20_000 }, (_, i) => `text ${i} `.repeat(50)), dimension: 64 });
    await new Promise((r) => setTimeout(r, 50));
    await stopWorkers();
    await expect(running).rejects.toThrow(/exited|stopped/);
    expect((await runTask("embedBuiltin", { texts: ["after"], dimension: 4 })).vectors).toHaveLength(4);
  });
});
