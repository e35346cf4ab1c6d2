import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorContext } from "@/db/test/factories";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";

/** Stage times of a ROLLBACK and a CLEAR, run through the executor against the real handler (issue 12, item 4). */
describe("rollback and clear stage figures", () => {
  let h: PipelineHarness;
  let operator: ServiceContext;
  let admin: ServiceContext;
  let figuresOf: typeof import("@/lib/services/operation/figures").getOperationFigures;

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_PIPELINE_BATCH_SIZE: "20", STEVEDORE_DISK_MARGIN_BYTES: "0" });
    ({ getOperationFigures: figuresOf } = await import("@/lib/services/operation/figures"));
    operator = await actorContext("operator");
    admin = await actorContext("admin");
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  const stageMap = (f: Awaited<ReturnType<typeof figuresOf>>) => Object.fromEntries(f.stages.map((s) => [s.stage, s]));

  /** A collection of 12 manifests, indexed with the built-in embedder. */
  async function indexed(name: string) {
    const dir = path.join(h.root, name);
    await fs.mkdir(dir, { recursive: true });
    for (let i = 0; i < 12; i++) await fs.writeFile(path.join(dir, `m-${i}.md`), `# Manifest ${i}\n\n${Array.from({ length: 200 }, (_, j) => `crate${i % 5}w${j % 29} quay${j % 7}`).join(" ")}\n`);
    const { collectionId, operationId } = await h.svc.createCollection({ ctx: operator, input: { name, embeddingModel: "builtin-hash", source: { kind: "directory", name, path: dir }, chunkSize: 400, chunkOverlap: 40 } });
    expect((await h.finished(operator, operationId, 120_000)).status).toBe("succeeded");
    return collectionId;
  }

  it("records validate and switch for a ROLLBACK", async () => {
    const collectionId = await indexed("rolled");
    const reindex = await h.svc.startReindex({ ctx: operator, input: { collectionId, settings: { chunkSize: 700, chunkOverlap: 0 }, confirm: "rolled" } });
    expect((await h.finished(operator, reindex.operationId, 120_000)).status).toBe("succeeded");
    const reindexStages = stageMap(await figuresOf({ ctx: operator, input: { operationId: reindex.operationId } }));

    // The rollback validates version 1 (its points) and switches to it once; no pipeline stage.
    const back = await h.svc.rollBackCollection({ ctx: operator, input: { collectionId } });
    expect(await h.finished(operator, back.operationId, 60_000)).toMatchObject({ status: "succeeded", result: { fromVersion: 2, toVersion: 1 } });
    const rolled = await h.svc.getCollection({ ctx: operator, input: { collectionId } });
    expect(rolled.stats.points).toBeGreaterThan(12);
    const figures = await figuresOf({ ctx: operator, input: { operationId: back.operationId } });
    const r = stageMap(figures);
    expect(figures.stages.map((s) => s.stage)).toEqual(["validate", "switch"]);
    expect(r.validate).toMatchObject({ calls: 1, items: rolled.stats.points });
    expect(r.switch).toMatchObject({ calls: 1, items: 1 });
    expect(r.validate!.totalMs).toBeGreaterThan(0);
    expect(r.switch!.totalMs).toBeGreaterThan(0);
    // Its own figures, not the reindex's: those are unchanged.
    expect(stageMap(await figuresOf({ ctx: operator, input: { operationId: reindex.operationId } }))).toEqual(reindexStages);

    // A clear after the rollback: the active version is 1 while 2 is still kept (retired), so the
    // empty version must be numbered 3, past the highest, not active + 1.
    const cleared = await h.svc.clearCollection({ ctx: admin, input: { collectionId, confirmName: "rolled", backupFirst: false } });
    expect(await h.finished(admin, cleared.operationId, 60_000)).toMatchObject({ status: "succeeded", result: { toVersion: 3 } });
  }, 300_000);

  it("records backup-write and clear for a CLEAR, and clear alone without the backup", async () => {
    const collectionId = await indexed("cleared");
    const before = await h.svc.getCollection({ ctx: operator, input: { collectionId } });
    expect(before.stats.documents).toBe(12);

    // The clear backs up first (its own stage), then removes every document under "clear".
    const cleared = await h.svc.clearCollection({ ctx: admin, input: { collectionId, confirmName: "cleared" } });
    expect((await h.finished(admin, cleared.operationId, 120_000)).status).toBe("succeeded");
    const c = await figuresOf({ ctx: admin, input: { operationId: cleared.operationId } });
    const cs = stageMap(c);
    // In the order the figures panel draws them: the backup before the clear.
    expect(c.stages.map((s) => s.stage)).toEqual(["backup-write", "clear"]);
    expect(cs.clear).toMatchObject({ calls: 1, items: 12 });
    expect(cs.clear!.totalMs).toBeGreaterThan(0);
    expect(cs["backup-write"]).toMatchObject({ calls: 1, items: before.stats.points });

    // A second clear of the now empty collection, without a backup, records its stage with nothing removed.
    const again = await h.svc.clearCollection({ ctx: admin, input: { collectionId, confirmName: "cleared", backupFirst: false } });
    expect((await h.finished(admin, again.operationId, 60_000)).status).toBe("succeeded");
    expect(stageMap(await figuresOf({ ctx: admin, input: { operationId: again.operationId } }))).toEqual({ clear: expect.objectContaining({ calls: 1, items: 0 }) });
  }, 300_000);
});
