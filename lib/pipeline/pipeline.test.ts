import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import type { ServiceContext } from "@/lib/services/context";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startPipelineHarness, type PipelineHarness } from "./test-support/harness";

/** The pipeline end to end through the real executor, serve() handler, PostgreSQL, LanceDB and embedder. */
describe("collections pipeline", () => {
  let h: PipelineHarness;
  let root: string;
  let ctx: ServiceContext;
  let svc: PipelineHarness["svc"];

  const GOOD = 24;
  async function writeSource(dir: string) {
    await fs.mkdir(path.join(dir, "nested"), { recursive: true });
    for (let i = 0; i < GOOD; i++) {
      const topic = i === 7 ? "The quartermaster logged seventeen crates of saffron at the northern quay." : `Routine note number ${i} about harbour operations and cargo.`;
      await fs.writeFile(path.join(dir, i % 2 ? "nested" : ".", `note-${i}.md`), `# Note ${i}\n\n${topic}\n\n${"Filler sentence about ships. ".repeat(30 + i)}\n`);
    }
    await fs.writeFile(path.join(dir, "copy-of-note-0.md"), await fs.readFile(path.join(dir, "note-0.md")));
    await fs.writeFile(path.join(dir, "empty.txt"), "");
    await fs.writeFile(path.join(dir, "junk.txt"), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await fs.writeFile(path.join(dir, "empty.pdf"), "");
    await fs.writeFile(path.join(dir, "huge.txt"), "x ".repeat(150_000));
    await fs.writeFile(path.join(dir, "picture.png"), "not a known format");
    // Mostly UTF-8, with a stray invalid byte every other sentence.
    const broken = Array.from({ length: 100 }, (_, i) => Buffer.concat([Buffer.from("Grüße aus Köln, schön. "), Buffer.from(i % 2 ? [] : [0xff])]));
    await fs.writeFile(path.join(dir, "invalid-utf8.txt"), Buffer.concat(broken));
  }

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_MAX_FILE_BYTES: String(200 * 1024), STEVEDORE_PIPELINE_BATCH_SIZE: "5" });
    ({ root, svc } = h);
    ctx = await actorContext("operator");
  });

  afterAll(() => h?.close());

  const finished = (operationId: string) => h.finished(ctx, operationId);

  it("indexes a directory: good files become points, bad ones dead letters with reasons, copies duplicates", async () => {
    const dir = path.join(root, "docs");
    await writeSource(dir);
    const { collectionId, operationId } = await svc.createCollection({ ctx, input: { name: "harbour", source: { kind: "directory", name: "docs", path: dir }, chunkSize: 400, chunkOverlap: 40 } });
    const op = await finished(operationId);
    expect(op.status).toBe("succeeded");
    expect(op.result).toMatchObject({ files: GOOD + 7, inserted: GOOD, duplicate: 1, failed: 6, unchanged: 0 });
    expect(op.progress).toMatchObject({ done: GOOD + 7, total: GOOD + 7, unit: "documents", chunks: { done: op.result!.chunks, total: op.result!.chunks } });

    // Scanning again for the same operation (as after a crash mid-scan) queues nothing twice and counts
    // the same; every document is past its parse, so no batch is sent again.
    expect(await svc.registerSourceDocuments(operationId)).toEqual({ files: GOOD + 7, queued: GOOD + 6, duplicates: 1, unchanged: 0, batches: 0 });

    const { documents } = await svc.listDocuments({ ctx, input: { collectionId, stage: "dead" } });
    const reasons = Object.fromEntries(documents.map((d) => [d.path, d.errorClass]));
    expect(reasons).toEqual({
      "empty.pdf": "parse_empty",
      "empty.txt": "parse_empty",
      "huge.txt": "parse_too_large",
      "invalid-utf8.txt": "parse_encoding",
      "junk.txt": "parse_binary",
      "picture.png": "parse_unsupported",
    });
    expect(documents.every((d) => d.errorMessage && d.errorStage === "parsing")).toBe(true);

    const collection = await svc.getCollection({ ctx, input: { collectionId } });
    const store = await svc.getVectorStore();
    expect(await store.count("harbour")).toBe(collection.stats.points);
    expect(collection.stats.points).toBe(op.result!.chunks);

    const found = await svc.searchCollection({ ctx, input: { collectionId, query: "seventeen crates of saffron", limit: 3 } });
    expect(found.hits.map((h) => h.path)).toContain("nested/note-7.md");

    // Appending the same folder again changes nothing.
    const again = await finished((await svc.appendSource({ ctx, input: { collectionId, sourceId: collection.sources[0]!.source.id } })).operationId);
    expect(again.result).toMatchObject({ inserted: 0, unchanged: GOOD + 7, failed: 0 });
    expect(await store.count("harbour")).toBe(collection.stats.points);

    // A changed file is re-indexed; its old chunks' points go (the first chunk changes, so its old point must).
    const original = await fs.readFile(path.join(dir, "note-2.md"), "utf8");
    await fs.writeFile(path.join(dir, "note-2.md"), original.replace("Routine note number 2", "Revised note about lighthouses"));
    const changed = await finished((await svc.appendSource({ ctx, input: { collectionId, sourceId: collection.sources[0]!.source.id } })).operationId);
    expect(changed.result).toMatchObject({ inserted: 1, unchanged: GOOD + 6 });
    const after = await svc.getCollection({ ctx, input: { collectionId } });
    expect(await store.count("harbour")).toBe(after.stats.points);

    // Removing the source leaves nothing behind.
    const removed = await finished((await svc.removeSource({ ctx, input: { collectionId, sourceId: collection.sources[0]!.source.id, confirmName: "docs" } })).operationId);
    expect(removed.status).toBe("succeeded");
    expect(await store.count("harbour")).toBe(0);
    expect((await svc.getCollection({ ctx, input: { collectionId } })).stats.documents).toBe(0);
  }, 120_000);

  it("cancels at any point without leaving a half-written document; a later APPEND finishes the job", async () => {
    const dir = path.join(root, "many");
    await fs.mkdir(dir);
    for (let i = 0; i < 300; i++) await fs.writeFile(path.join(dir, `doc-${String(i).padStart(3, "0")}.md`), `# Doc ${i}\n\n${"Cargo manifests and berth schedules. ".repeat(40)} ${i}`);
    const { collectionId, operationId } = await svc.createCollection({ ctx, input: { name: "cancelled", source: { kind: "directory", name: "many", path: dir }, chunkSize: 300, chunkOverlap: 30 } });
    await waitFor(async () => ((await svc.getOperation({ ctx, input: { operationId } })).operation.progress?.done ?? 0) > 0, 30_000, "some documents to be stored");
    await svc.cancelOperation({ ctx, input: { operationId } });
    await waitFor(async () => (await svc.getCollection({ ctx, input: { collectionId } })).collection.status === "ready", 30_000, "the clean-up");

    const detail = await svc.getCollection({ ctx, input: { collectionId } });
    expect(detail.stats.complete).toBeLessThan(300);
    const store = await svc.getVectorStore();
    // Only complete documents have points, and all of theirs.
    expect(await store.count("cancelled")).toBe(detail.stats.points);
    const unfinished = await svc.listDocuments({ ctx, input: { collectionId, stage: "failed", limit: 500 } });
    expect(unfinished.documents.length + detail.stats.complete).toBe(300);
    expect(unfinished.documents.every((d) => d.errorClass === "cancelled")).toBe(true);

    const resumed = await finished((await svc.appendSource({ ctx, input: { collectionId, sourceId: detail.sources[0]!.source.id } })).operationId);
    expect(resumed.result).toMatchObject({ inserted: unfinished.documents.length, unchanged: detail.stats.complete, failed: 0 });
    const final = await svc.getCollection({ ctx, input: { collectionId } });
    expect(final.stats).toMatchObject({ complete: 300, active: 0 });
    expect(await store.count("cancelled")).toBe(final.stats.points);
  }, 120_000);

  it("indexes browser uploads, refusing oversized files and unusable names one by one", async () => {
    const dir = path.join(root, "seed");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "seed.md"), "# Seed\n\nA first document.");
    const { collectionId, operationId } = await svc.createCollection({ ctx, input: { name: "uploads", source: { kind: "directory", name: "seed", path: dir } } });
    await finished(operationId);
    const files = [
      { name: "C:\\Users\\me\\minutes.md", bytes: Buffer.from("# Minutes\n\nThe harbour board approved a new tugboat named Persistence.") },
      { name: "data.csv", bytes: Buffer.from("ship,tonnage\nAurora,1200\nBorealis,900\n") },
      { name: "huge.txt", bytes: Buffer.alloc(300 * 1024, 97) },
      { name: ".hidden", bytes: Buffer.from("secret") },
    ];
    // As the upload routes do: each file received to disk first; the verb moves the ones it takes.
    const staged = async (list: typeof files) => {
      const folder = await fs.mkdtemp(path.join(root, "staged-"));
      return Promise.all(list.map(async (f, i) => (await fs.writeFile(path.join(folder, `part-${i}`), f.bytes), { name: f.name, path: path.join(folder, `part-${i}`), bytes: f.bytes.length })));
    };
    const upload = await svc.uploadFiles({ ctx, input: { collectionId }, files: await staged(files) });
    expect(upload.accepted.sort()).toEqual(["data.csv", "minutes.md"]);
    expect(upload.refused.map((r) => r.name).sort()).toEqual([".hidden", "huge.txt"]);
    const op = await finished(upload.operationId);
    expect(op.result).toMatchObject({ inserted: 2, failed: 0 });
    const hits = await svc.searchCollection({ ctx, input: { collectionId, query: "tugboat named Persistence", limit: 3 } });
    expect(hits.hits[0]?.path).toBe("minutes.md");
    await expect(svc.uploadFiles({ ctx, input: { collectionId }, files: await staged([files[3]!]) })).rejects.toMatchObject({ code: "invalid", fieldErrors: { files: [expect.stringContaining(".hidden")] } });
    const viewer = await actorContext("viewer");
    await expect(svc.uploadFiles({ ctx: viewer, input: { collectionId }, files: await staged(files) })).rejects.toMatchObject({ code: "forbidden" });

    // A collection can start from uploads too: no server folder involved.
    await expect(svc.createCollection({ ctx, input: { name: "from-uploads", source: { kind: "upload" } }, files: [] })).rejects.toMatchObject({ code: "invalid", message: "Choose at least one file." });
    const created = await svc.createCollection({ ctx, input: { name: "from-uploads", source: { kind: "upload", name: "desk" } }, files: await staged(files) });
    expect(created.refused.map((r) => r.name).sort()).toEqual([".hidden", "huge.txt"]);
    const index = await finished(created.operationId);
    expect(index.result).toMatchObject({ inserted: 2, failed: 0 });
    const fromUploads = await svc.getCollection({ ctx, input: { collectionId: created.collectionId } });
    expect(fromUploads.sources.map((s) => [s.source.name, s.source.kind])).toEqual([["desk", "upload"]]);
    expect((await svc.searchCollection({ ctx, input: { collectionId: created.collectionId, query: "tugboat named Persistence", limit: 3 } })).hits[0]?.path).toBe("minutes.md");
  }, 60_000);

  it("refuses to retry dead letters a retry cannot change, and indexes the fixed file on Append; every change is audited", async () => {
    const dir = path.join(root, "retry");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "fixed-later.txt"), "");
    await fs.writeFile(path.join(dir, "junk.txt"), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31) % 256)));
    await fs.writeFile(path.join(dir, "fine.md"), "# Fine\n\nNothing wrong here.");
    const { collectionId, operationId } = await svc.createCollection({ ctx, input: { name: "retries", source: { kind: "directory", name: "retry", path: dir } } });
    expect((await finished(operationId)).result).toMatchObject({ inserted: 1, failed: 2 });
    const dead = (await svc.listDocuments({ ctx, input: { collectionId, stage: "dead" } })).documents;
    // Empty and binary files stay what they are however often they are retried.
    await expect(svc.retryDocuments({ ctx, input: { collectionId, documentIds: [dead.find((d) => d.path === "fixed-later.txt")!.id] } })).rejects.toMatchObject({ code: "invalid" });
    await expect(svc.retryDocuments({ ctx, input: { collectionId, matching: { errorClass: "parse_binary" } } })).rejects.toMatchObject({ code: "invalid" });
    // Fixed on disk, the file comes back through Append (it is a changed file now).
    await fs.writeFile(path.join(dir, "fixed-later.txt"), "Now this file has text about retries.");
    const sourceId = (await svc.getCollection({ ctx, input: { collectionId } })).sources[0]!.source.id;
    const appended = await svc.appendSource({ ctx, input: { collectionId, sourceId } });
    expect((await finished(appended.operationId)).result).toMatchObject({ inserted: 1 });
    const actions = (await auditRowsOf(ctx.correlationId)).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(["collection.create:success", "operation.start:success", "document.retry:failure"]));
  }, 60_000);

  it("runs one mutating operation per collection at a time, later ones waiting in order and saying so", async () => {
    const dir = path.join(root, "queue");
    await fs.mkdir(dir);
    for (let i = 0; i < 60; i++) await fs.writeFile(path.join(dir, `q-${i}.md`), `# Q${i}\n\n${"Queue discipline for operations. ".repeat(30)} ${i}`);
    const created = await svc.createCollection({ ctx, input: { name: "queued", source: { kind: "directory", name: "queue", path: dir } } });
    const sourceId = (await svc.getCollection({ ctx, input: { collectionId: created.collectionId } })).sources[0]!.source.id;
    const second = await svc.appendSource({ ctx, input: { collectionId: created.collectionId, sourceId } });
    const waiting = await waitFor(async () => {
      const { operation } = await svc.getOperation({ ctx, input: { operationId: second.operationId } });
      return operation.status === "waiting" ? operation : undefined;
    }, 20_000, "the second operation to wait");
    expect(waiting.statusMessage).toMatch(/^Waiting for INDEX operation [0-9a-f]{8} to finish/);
    const first = await finished(created.operationId);
    const then = await finished(second.operationId);
    expect(then.status).toBe("succeeded");
    expect(then.statusMessage).toBeNull();
    expect(new Date(then.startedAt!).getTime()).toBeGreaterThanOrEqual(new Date(first.finishedAt!).getTime() - 1000);
    expect(then.result).toMatchObject({ inserted: 0, unchanged: 60 });
  }, 60_000);

  it("requeues a document that made no progress for too long", async () => {
    const dir = path.join(root, "stall");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "stuck.md"), "# Stuck\n\nThis one will be found stalled.");
    const { collectionId, operationId } = await svc.createCollection({ ctx, input: { name: "stalled", source: { kind: "directory", name: "stall", path: dir } } });
    await finished(operationId);
    // As if its embed batch had been lost an hour ago, under a still-running operation.
    await getSql()`update operations set status = 'running', finished_at = null where id = ${operationId}`;
    await getSql()`update documents set stage = 'chunked', stage_changed_at = now() - interval '1 hour' where collection_id = ${collectionId}`;
    const progress = await svc.checkProgress(operationId);
    expect(progress).toMatchObject({ total: 1, active: 1 });
    const [doc] = (await svc.listDocuments({ ctx, input: { collectionId } })).documents;
    await waitFor(async () => (await svc.listDocuments({ ctx, input: { collectionId, stage: "complete" } })).documents.length === 1, 20_000, "the requeued document to complete");
    const history = await svc.documentHistory({ ctx, input: { documentId: doc!.id } });
    expect(history.map((h) => `${h.stage}${h.errorClass ? ":" + h.errorClass : ""}`).slice(-5)).toEqual(["chunked:stalled", "embedding", "embedded", "stored", "complete"]);
  }, 60_000);

  it("a parse step re-run after it committed but died before handing on hands its chunked documents on again", async () => {
    const dir = path.join(root, "handon");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "a.md"), "# A\n\nFirst of two documents about quay cranes.");
    await fs.writeFile(path.join(dir, "b.md"), "# B\n\nSecond of two documents about quay cranes.");
    const { collectionId, operationId } = await svc.createCollection({ ctx, input: { name: "handon", source: { kind: "directory", name: "handon", path: dir } } });
    await finished(operationId);
    // As if the parse step had committed its chunked documents and the process died before its embed event went out.
    await getSql()`update operations set status = 'running', finished_at = null where id = ${operationId}`;
    await getSql()`update documents set stage = 'chunked' where collection_id = ${collectionId}`;
    const ids = (await svc.listDocuments({ ctx, input: { collectionId } })).documents.map((d) => d.id);
    const rerun = await svc.parseBatch({ operationId, documentIds: ids });
    expect(rerun.chunked.sort()).toEqual([...ids].sort());
  });

  it("refuses paths outside the allowed roots and a wrong confirmation, changing nothing", async () => {
    await expect(svc.createCollection({ ctx, input: { name: "outside", source: { kind: "directory", name: "etc", path: "/etc" } } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { path: [expect.stringContaining("Only folders under")] } });
    await expect(svc.createCollection({ ctx, input: { name: "dotdot", source: { kind: "directory", name: "up", path: path.join(root, "..", "..") } } })).rejects.toMatchObject({ code: "invalid" });
    const link = path.join(root, "escape");
    await fs.symlink("/etc", link).catch(() => undefined);
    await expect(svc.createCollection({ ctx, input: { name: "symlinked", source: { kind: "directory", name: "link", path: link } } })).rejects.toMatchObject({ code: "invalid" });
    expect((await svc.listCollections({ ctx })).map((c) => c.collection.name)).not.toContain("outside");
  });

  it("refuses a viewer every pipeline mutation", async () => {
    const viewer = await actorContext("viewer");
    const id = "00000000-0000-4000-8000-000000000000";
    await expect(svc.createCollection({ ctx: viewer, input: { name: "nope", source: { kind: "directory", name: "d", path: root } } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(svc.appendSource({ ctx: viewer, input: { collectionId: id, sourceId: id } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(svc.removeSource({ ctx: viewer, input: { collectionId: id, sourceId: id, confirmName: "x" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(svc.retryDocuments({ ctx: viewer, input: { collectionId: id, documentIds: [id] } })).rejects.toMatchObject({ code: "forbidden" });
  });
});
