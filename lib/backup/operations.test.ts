import fs from "node:fs/promises";
import { gunzipSync, gzipSync } from "node:zlib";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorContext } from "@/db/test/factories";
import { auditRowsOf } from "@/db/test/audit";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";

const WORDS = "berth crane manifest pallet reefer hatch lashing draft ballast quay tug pilot customs bonded yard gantry stow".split(" ");
const QUERIES = Array.from({ length: 10 }, (_, i) => `${WORDS[i % WORDS.length]}${i % 4}t${i % 11} ${WORDS[(i + 3) % WORDS.length]}${i % 4}t${(i + 2) % 11}`);

async function writeDocs(dir: string, count: number, offset = 0) {
  await fs.mkdir(dir, { recursive: true });
  for (let k = 0; k < count; k++) {
    const i = k + offset;
    const topic = Math.floor(i / 10);
    const words = Array.from({ length: 300 }, (_, j) => (j % 5 === 4 ? `own${i}x${j % 23}` : `${WORDS[(topic * 5 + j) % WORDS.length]}${topic}t${j % 11}`));
    await fs.writeFile(path.join(dir, `doc-${String(i).padStart(4, "0")}.md`), `# Document ${i}\n\n${words.join(" ")}.\n`);
  }
}

describe("BACKUP, VERIFY_BACKUP, CLEAR and RESTORE through the real executor", () => {
  let h: PipelineHarness;
  let operator: ServiceContext;
  let admin: ServiceContext;
  let viewer: ServiceContext;
  let getOperationFigures: typeof import("@/lib/services/operation/figures").getOperationFigures;

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_PIPELINE_BATCH_SIZE: "20", STEVEDORE_DISK_MARGIN_BYTES: "0" });
    [operator, admin, viewer] = await Promise.all([actorContext("operator"), actorContext("admin"), actorContext("viewer")]);
    ({ getOperationFigures } = await import("@/lib/services/operation/figures"));
  }, 60_000);
  afterAll(async () => h?.close());

  async function indexed(name: string, docs: number) {
    const dir = path.join(h.root, name);
    await writeDocs(dir, docs);
    const { collectionId, operationId } = await h.svc.createCollection({ ctx: operator, input: { name, source: { kind: "directory", name: "main", path: dir }, chunkSize: 300, chunkOverlap: 30 } });
    expect((await h.finished(operator, operationId, 120_000)).status).toBe("succeeded");
    return collectionId;
  }

  /**
   * Top-10 of each query as an operator sees it, whatever the ids: the ten scores, and the hits
   * (path, chunk) scoring above the tenth. Hits tied with the tenth may come in any order (the
   * built-in embedder ties often, and a store breaks ties by where a point lies), so only their score counts.
   */
  const topTen = async (collectionId: string) =>
    Promise.all(
      QUERIES.map(async (query) => {
        const { hits } = await h.svc.searchCollection({ ctx: viewer, input: { collectionId, query, limit: 10 } });
        const scores = hits.map((x) => x.score.toFixed(5));
        const cut = scores.at(-1);
        return { scores, above: hits.filter((x) => x.score.toFixed(5) !== cut).map((x) => `${x.path}#${x.ordinal}`).sort() };
      }),
    );
  /** The documents and points PostgreSQL counts, and the points the store holds in the live version. */
  const counts = async (collectionId: string) => {
    const c = await h.svc.getCollection({ ctx: viewer, input: { collectionId } });
    const live = c.versions.find((v) => v.status === "active");
    const stored = live ? await (await h.svc.getVectorStore()).count(live.physicalName) : 0;
    return { documents: c.stats.documents, complete: c.stats.complete, points: c.stats.points, stored };
  };
  const succeeded = async (ctx: ServiceContext, operationId: string) => {
    const op = await h.finished(ctx, operationId, 120_000);
    expect(op.error ?? op.status).toBe("succeeded");
    return op;
  };

  it("backs up, clears with a backup first, restores by replace and into a new collection: same counts and the same top-10 for ten queries", async () => {
    const collectionId = await indexed("bk-round", 40);
    const before = await topTen(collectionId);
    expect(before.every((q) => q.scores.length === 10)).toBe(true);
    const beforeCounts = await counts(collectionId);

    const preview = await h.svc.previewBackup({ ctx: operator, input: { collectionId, dryRun: true } });
    expect(preview.estimate.points).toBeGreaterThan(40);
    expect(preview.estimate.bytes).toBeGreaterThan(0);
    const started = await h.svc.startBackup({ ctx: operator, input: { collectionId, note: "before the clear" } });
    const backupOp = await succeeded(operator, started.operationId);
    const backup = await h.svc.getBackup({ ctx: viewer, input: { backupId: started.backupId } });
    expect(backup).toMatchObject({ status: "complete", pointCount: preview.estimate.points, note: "before the clear" });
    expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(backupOp.result).toMatchObject({ backupId: backup.id, points: backup.pointCount, sha256: backup.sha256 });
    // Within 30 % of the real size: the estimate writes a sample the real way.
    expect(Math.abs(preview.estimate.bytes - backup.sizeBytes!) / backup.sizeBytes!).toBeLessThan(0.3);

    const verify = await h.svc.startVerifyBackup({ ctx: operator, input: { backupId: backup.id } });
    await succeeded(operator, verify.operationId);
    expect(await h.svc.getBackup({ ctx: viewer, input: { backupId: backup.id } })).toMatchObject({ verifiedOk: true });
    // The verify's read is timed in its stage figures, with the file counted as read.
    const verifyFigures = await getOperationFigures({ ctx: viewer, input: { operationId: verify.operationId } });
    expect(verifyFigures.stages.find((x) => x.stage === "backup-verify")).toMatchObject({ calls: 1, items: backup.pointCount, totalMs: expect.any(Number) });
    expect(verifyFigures.stages.find((x) => x.stage === "backup-verify")!.totalMs).toBeGreaterThan(0);
    expect(verifyFigures.figures.bytesRead).toBe(backup.sizeBytes);

    // CLEAR is an admin's, typed, and backs up first by default.
    await expect(h.svc.clearCollection({ ctx: operator, input: { collectionId, confirmName: "bk-round" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(h.svc.clearCollection({ ctx: admin, input: { collectionId, confirmName: "bk-rond" } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { confirmName: [expect.stringContaining("bk-round")] } });
    const cleared = await h.svc.clearCollection({ ctx: admin, input: { collectionId, confirmName: "bk-round" } });
    expect(cleared.backupId).toBeTruthy();
    await succeeded(admin, cleared.operationId);
    expect((await topTen(collectionId)).every((q) => q.scores.length === 0)).toBe(true);
    expect(await counts(collectionId)).toEqual({ documents: 0, complete: 0, points: 0, stored: 0 });
    const clearBackup = await h.svc.getBackup({ ctx: viewer, input: { backupId: cleared.backupId! } });
    expect(clearBackup).toMatchObject({ status: "complete", pointCount: backup.pointCount, sha256: backup.sha256 });

    // Replace needs the typed name; then the collection is as it was.
    await expect(h.svc.startRestore({ ctx: operator, input: { backupId: clearBackup.id, mode: "replace", collectionId } })).rejects.toMatchObject({ fieldErrors: { confirm: [expect.any(String)] } });
    const replaced = await h.svc.startRestore({ ctx: operator, input: { backupId: clearBackup.id, mode: "replace", collectionId, confirm: "bk-round" } });
    await succeeded(operator, replaced.operationId);
    expect(await topTen(collectionId)).toEqual(before);
    expect(await counts(collectionId)).toEqual(beforeCounts);

    // Into a new collection: its own ids, the same answers.
    const dry = await h.svc.previewRestore({ ctx: operator, input: { backupId: backup.id, mode: "new", into: "bk-round-copy", dryRun: true } });
    expect(dry).toMatchObject({ backup: { points: backup.pointCount, documents: 40 }, refusals: {} });
    const copied = await h.svc.startRestore({ ctx: operator, input: { backupId: backup.id, mode: "new", into: "bk-round-copy" } });
    await succeeded(operator, copied.operationId);
    expect(await topTen(copied.collectionId!)).toEqual(before);
    expect((await h.svc.getCollection({ ctx: viewer, input: { collectionId: copied.collectionId! } })).collection.status).toBe("ready");
    expect(await counts(copied.collectionId!)).toEqual(beforeCounts);
    const taken = await h.svc.previewRestore({ ctx: operator, input: { backupId: backup.id, mode: "new", into: "bk-round-copy", dryRun: true } });
    expect(taken.refusals.into?.[0]).toMatch(/already exists/);

    const audit = (await auditRowsOf(admin.correlationId)).map((r) => `${r.action}:${r.outcome}`);
    expect(audit).toEqual(expect.arrayContaining(["collection.clear:failure", "collection.clear:success"]));
    expect((await auditRowsOf(operator.correlationId)).map((r) => `${r.action}:${r.outcome}`)).toEqual(expect.arrayContaining(["collection.clear:denied", "backup.start:success", "backup.verify:success", "restore.start:success"]));
  }, 240_000);

  it("merges a partial backup back after its source was removed, skipping what is there", async () => {
    const collectionId = await indexed("bk-merge", 20);
    const extra = path.join(h.root, "bk-merge-extra");
    await writeDocs(extra, 20, 20);
    const appended = await h.svc.appendSource({ ctx: operator, input: { collectionId, source: { kind: "directory", name: "extra", path: extra } } });
    await succeeded(operator, appended.operationId);
    const before = await topTen(collectionId);
    const beforeCounts = await counts(collectionId);

    const partial = await h.svc.startBackup({ ctx: operator, input: { collectionId, sources: ["extra"] } });
    await succeeded(operator, partial.operationId);
    await expect(h.svc.startBackup({ ctx: operator, input: { collectionId, sources: ["nope"] } })).rejects.toMatchObject({ fieldErrors: { sources: [expect.stringContaining("nope")] } });
    const sources = (await h.svc.getCollection({ ctx: viewer, input: { collectionId } })).sources;
    const removed = await h.svc.removeSource({ ctx: operator, input: { collectionId, sourceId: sources.find((s) => s.source.name === "extra")!.source.id, confirmName: "extra" } });
    await succeeded(operator, removed.operationId);
    expect(await topTen(collectionId)).not.toEqual(before);

    const dry = await h.svc.previewRestore({ ctx: operator, input: { backupId: partial.backupId, mode: "merge", collectionId, onConflict: "skip", dryRun: true } });
    expect(dry).toMatchObject({ conflicts: { documents: 0, policy: "skip" }, refusals: {} });
    const merged = await h.svc.startRestore({ ctx: operator, input: { backupId: partial.backupId, mode: "merge", collectionId, onConflict: "skip" } });
    await succeeded(operator, merged.operationId);
    expect(await topTen(collectionId)).toEqual(before);
    expect(await counts(collectionId)).toEqual(beforeCounts);

    // Merging the same backup again: every document conflicts and is skipped; nothing changes.
    const again = await h.svc.previewRestore({ ctx: operator, input: { backupId: partial.backupId, mode: "merge", collectionId, onConflict: "skip", dryRun: true } });
    expect(again.conflicts).toEqual({ documents: 20, policy: "skip" });
    const twice = await h.svc.startRestore({ ctx: operator, input: { backupId: partial.backupId, mode: "merge", collectionId, onConflict: "overwrite" } });
    await succeeded(operator, twice.operationId);
    expect(await topTen(collectionId)).toEqual(before);
    expect(await counts(collectionId)).toEqual(beforeCounts);
  }, 240_000);

  it("restores a backup without vectors by re-embedding each chunk's text, and a schema-only one as settings and sources alone", async () => {
    const collectionId = await indexed("bk-novec", 20);
    const before = await topTen(collectionId);
    const beforeCounts = await counts(collectionId);
    const slim = await h.svc.startBackup({ ctx: operator, input: { collectionId, vectors: false } });
    await succeeded(operator, slim.operationId);
    const full = await h.svc.startBackup({ ctx: operator, input: { collectionId } });
    await succeeded(operator, full.operationId);
    const [slimRow, fullRow] = await Promise.all([h.svc.getBackup({ ctx: viewer, input: { backupId: slim.backupId } }), h.svc.getBackup({ ctx: viewer, input: { backupId: full.backupId } })]);
    expect(slimRow).toMatchObject({ vectors: false, pointCount: fullRow.pointCount });
    expect(slimRow.sizeBytes!).toBeLessThan(fullRow.sizeBytes! / 2);
    const restored = await h.svc.startRestore({ ctx: operator, input: { backupId: slim.backupId, mode: "new", into: "bk-novec-copy" } });
    await succeeded(operator, restored.operationId);
    expect(await topTen(restored.collectionId!)).toEqual(before);
    expect(await counts(restored.collectionId!)).toEqual(beforeCounts);

    const schema = await h.svc.startBackup({ ctx: operator, input: { collectionId, kind: "schema" } });
    await succeeded(operator, schema.operationId);
    expect(await h.svc.getBackup({ ctx: viewer, input: { backupId: schema.backupId } })).toMatchObject({ kind: "schema", pointCount: 0 });
    await expect(h.svc.startRestore({ ctx: operator, input: { backupId: schema.backupId, mode: "replace", collectionId, confirm: "bk-novec" } })).rejects.toMatchObject({ fieldErrors: { mode: [expect.stringContaining("schema-only")] } });
    const shell = await h.svc.startRestore({ ctx: operator, input: { backupId: schema.backupId, mode: "new", into: "bk-novec-shell" } });
    await succeeded(operator, shell.operationId);
    const made = await h.svc.getCollection({ ctx: viewer, input: { collectionId: shell.collectionId! } });
    expect(made.sources.map((s) => s.source.name)).toEqual(["main"]);
    expect(await counts(shell.collectionId!)).toEqual({ documents: 0, complete: 0, points: 0, stored: 0 });
  }, 240_000);

  it("refuses a damaged backup at restore before anything live changes, and a damaged upload before it is kept", async () => {
    const collectionId = await indexed("bk-damaged", 20);
    const before = await topTen(collectionId);
    const versionsBefore = await h.svc.listVersions({ ctx: viewer, input: { collectionId } });
    const started = await h.svc.startBackup({ ctx: operator, input: { collectionId } });
    await succeeded(operator, started.operationId);
    const backup = await h.svc.getBackup({ ctx: viewer, input: { backupId: started.backupId } });
    const bytes = await fs.readFile(backup.path);

    // A flipped byte in the middle: the gzip check or the checksum refuses it, at the end of the load into staging.
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x55;
    await fs.writeFile(backup.path, flipped);
    const restore = await h.svc.startRestore({ ctx: operator, input: { backupId: backup.id, mode: "replace", collectionId, confirm: "bk-damaged" } });
    const failed = await h.finished(operator, restore.operationId, 120_000);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/damaged|checksum|altered/i);
    expect(await topTen(collectionId)).toEqual(before);
    const versionsAfter = await h.svc.listVersions({ ctx: viewer, input: { collectionId } });
    expect(versionsAfter.versions.filter((v) => v.status === "active")).toEqual(versionsBefore.versions.filter((v) => v.status === "active"));
    expect(versionsAfter.versions.filter((v) => v.status === "staging")).toHaveLength(0);
    // Into a new collection: the collection made for it goes again with the failure.
    const fresh = await h.svc.startRestore({ ctx: operator, input: { backupId: backup.id, mode: "new", into: "bk-damaged-copy" } });
    expect((await h.finished(operator, fresh.operationId, 120_000)).status).toBe("failed");
    expect((await h.svc.listCollections({ ctx: viewer })).map((c) => c.collection.name)).not.toContain("bk-damaged-copy");
    const verify = await h.svc.startVerifyBackup({ ctx: operator, input: { backupId: backup.id } });
    expect((await h.finished(operator, verify.operationId)).status).toBe("failed");
    expect(await h.svc.getBackup({ ctx: viewer, input: { backupId: backup.id } })).toMatchObject({ verifiedOk: false, verifyError: expect.stringMatching(/damaged|checksum|altered/i) });
    // A refused file's read is timed too (no points counted: none was proven).
    const refusedFigures = await getOperationFigures({ ctx: viewer, input: { operationId: verify.operationId } });
    expect(refusedFigures.stages.find((x) => x.stage === "backup-verify")).toMatchObject({ calls: 1, items: 0 });

    // Uploads: a truncated file and a file of another kind are refused on the file field; no backup is kept.
    const listed = (await h.svc.listBackups({ ctx: viewer, input: {} })).length;
    const staged = path.join(h.root, "upload.part");
    const manifestLine = (JSON.parse(gunzipSync(bytes).toString("utf8").split("\n")[0]!) as Record<string, unknown>);
    for (const [content, message] of [
      [bytes.subarray(0, Math.floor(bytes.length * 0.6)), /cut short|ends early/],
      [Buffer.from('{"hello":"world"}\n'), /not gzip/],
      [gzipSync(JSON.stringify({ ...manifestLine, version: 2 }) + "\n"), /format version 2.*Upgrade Stevedore/],
      // A bomb that starts as a backup does: 64 MiB of one manifest line, from a few dozen KiB.
      [gzipSync(Buffer.concat([Buffer.from('{"type":"manifest","format":"stevedore-backup","version":1,"note":"'), Buffer.alloc(64 * 1024 * 1024, "a")])), /gzip bomb|longer than/],
    ] as const) {
      await fs.writeFile(staged, content);
      await expect(h.svc.importBackup({ ctx: operator, input: {}, file: { name: "b.jsonl.gz", path: staged, bytes: content.length } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { file: [expect.stringMatching(message)] } });
    }
    expect((await h.svc.listBackups({ ctx: viewer, input: {} })).length).toBe(listed);
    await fs.writeFile(staged, bytes);
    const imported = await h.svc.importBackup({ ctx: operator, input: { note: "from elsewhere" }, file: { name: "b.jsonl.gz", path: staged, bytes: bytes.length } });
    expect(imported).toMatchObject({ origin: "import", status: "complete", verifiedOk: true, pointCount: backup.pointCount, note: "from elsewhere" });
  }, 240_000);

  it("stops a BACKUP cancelled while it writes: the backup is marked failed and no file stays", async () => {
    const collectionId = await indexed("bk-cancel", 20);
    const started = await h.svc.startBackup({ ctx: operator, input: { collectionId, rateLimitMBps: 0.05 } });
    const { backupPaths } = await import("./files");
    const { partial, final } = backupPaths(started.backupId);
    await waitFor(async () => (await fs.stat(partial).catch(() => null))?.size, 60_000, "the backup file to be written");
    await h.svc.cancelOperation({ ctx: operator, input: { operationId: started.operationId } });
    expect((await h.finished(operator, started.operationId)).status).toBe("cancelled");
    await waitFor(async () => (await h.svc.getBackup({ ctx: viewer, input: { backupId: started.backupId } })).status === "failed", 30_000, "the backup to be marked failed");
    await waitFor(async () => !(await fs.stat(partial).catch(() => null)), 30_000, "the partial file to go");
    // Past the time the throttled write would have taken to finish: nothing came back.
    await new Promise((r) => setTimeout(r, 5000));
    expect(await fs.stat(final).catch(() => null)).toBeNull();
    expect(await fs.stat(partial).catch(() => null)).toBeNull();
    expect((await h.svc.getBackup({ ctx: viewer, input: { backupId: started.backupId } })).status).toBe("failed");
    // The collection is free again: a backup after it runs.
    const next = await h.svc.startBackup({ ctx: operator, input: { collectionId } });
    await succeeded(operator, next.operationId);
  }, 120_000);

  it("refuses a viewer everything that changes or starts something, and audits the refusal", async () => {
    const collectionId = (await h.svc.listCollections({ ctx: viewer }))[0]!.collection.id;
    await expect(h.svc.startBackup({ ctx: viewer, input: { collectionId } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(h.svc.startRestore({ ctx: viewer, input: { backupId: "00000000-0000-4000-8000-000000000000", mode: "new", into: "x" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(h.svc.deleteBackup({ ctx: operator, input: { backupId: "00000000-0000-4000-8000-000000000000" } })).rejects.toMatchObject({ code: "forbidden" });
    const audit = (await auditRowsOf(viewer.correlationId)).map((r) => `${r.action}:${r.outcome}`);
    expect(audit).toEqual(expect.arrayContaining(["backup.start:denied", "restore.start:denied"]));
  });
});
