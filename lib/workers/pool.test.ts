import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashText } from "@/lib/embeddings/builtin";
import { chunkText } from "@/lib/ingest/chunk";
import { junkBytes, makePdf } from "@/lib/ingest/parse/test-fixtures";
import { runTask, stopWorkers } from "./pool";

/** The pipeline's worker tasks, run in real worker threads. */
describe("worker pool", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-workers-"));
    await fs.mkdir(path.join(dir, "root"));
    await fs.writeFile(path.join(dir, "root", "a.md"), "# Title A\n\n" + "Harbour cranes lift containers. ".repeat(80));
    await fs.writeFile(path.join(dir, "root", "junk.txt"), junkBytes(4096));
    await fs.writeFile(path.join(dir, "root", "doc.pdf"), await makePdf({ title: "Manifest", pages: [["Seventeen crates of saffron."]] }));
    await fs.writeFile(path.join(dir, "outside.md"), "secret");
    await fs.symlink(path.join(dir, "outside.md"), path.join(dir, "root", "link.md"));
  });
  afterAll(async () => {
    await stopWorkers();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("hashes files in a worker, null for what cannot be read", async () => {
    const file = path.join(dir, "root", "a.md");
    const hashes = await runTask("hashFiles", { paths: [file, null, path.join(dir, "missing")] });
    expect(hashes).toEqual([createHash("sha256").update(await fs.readFile(file)).digest("hex"), null, null]);
  });

  it("parses files inside the root, refuses what no parser reads, and treats a link out of the root as missing", async () => {
    const root = await fs.realpath(path.join(dir, "root"));
    const files = ["a.md", "junk.txt", "doc.pdf", "link.md", "gone.md"].map((p) => ({ root, path: p }));
    const [md, junk, pdf, link, gone] = await runTask("parseFiles", { files, maxBytes: 1 << 20, chunkSize: 400, chunkOverlap: 40 });
    expect(md).toMatchObject({ kind: "parsed", title: "Title A" });
    if (md!.kind !== "parsed") throw new Error("unreachable");
    expect(md.chunkCount).toBe(chunkText(md.text, { size: 400, overlap: 40 }).length);
    expect(md.chunkCount).toBeGreaterThan(1);
    expect(junk).toMatchObject({ kind: "refused", reason: "binary" });
    expect(pdf).toMatchObject({ kind: "parsed", title: "Manifest" });
    expect(link).toEqual({ kind: "missing" });
    expect(gone).toEqual({ kind: "missing" });
  });

  it("embeds as the built-in embedder does on this thread, packed one vector after another", async () => {
    const texts = ["cargo manifest", "tide tables for the pilot"];
    const packed = await runTask("embedBuiltin", { texts, dimension: 16 });
    expect(packed).toHaveLength(32);
    expect([...packed.subarray(16)]).toEqual([...hashText(texts[1]!, 16)!]);
  });

  it("fails the tasks of stopped workers and starts new ones for the next task", async () => {
    const running = runTask("hashFiles", { paths: Array.from({ length: 2000 }, () => path.join(dir, "root", "doc.pdf")) });
    await stopWorkers();
    await expect(running).rejects.toThrow(/exited|stopped/);
    expect(await runTask("hashFiles", { paths: [null] })).toEqual([null]);
  });
});
