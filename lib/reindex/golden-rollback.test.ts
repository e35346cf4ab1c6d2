import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorContext } from "@/db/test/factories";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";

/** What validation and rollback refuse, through the real pipeline: a golden query losing its document, a rollback that would lose documents. */
describe("golden queries in validation, and a refused rollback", () => {
  let h: PipelineHarness;
  let ctx: ServiceContext;

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_DISK_MARGIN_BYTES: "0" });
    ctx = await actorContext("operator");
  }, 60_000);
  afterAll(() => h?.close());

  async function indexed(name: string, files: Record<string, string>, settings: { chunkSize: number; chunkOverlap: number }) {
    const dir = path.join(h.root, name);
    await fs.mkdir(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) await fs.writeFile(path.join(dir, file), text);
    const created = await h.svc.createCollection({ ctx, input: { name, source: { kind: "directory", name: "logs", path: dir }, ...settings } });
    expect((await h.finished(ctx, created.operationId, 120_000)).status).toBe("succeeded");
    return { ...created, dir };
  }

  const step = async (operationId: string, name: string) => (await h.svc.getOperation({ ctx, input: { operationId } })).steps.find((s) => s.name === name);

  it("a golden query whose document the new chunking no longer finds fails validation, though the mean recall passes", async () => {
    // 24 short logs that share two of the query's words; one long log of its own words with the
    // query's sentence as a paragraph. In 100-character chunks that paragraph is a chunk of its
    // own and the best match; in one 20,000-character chunk it drowns among a thousand other words.
    const files: Record<string, string> = {};
    for (let i = 0; i < 24; i++) files[`short-${String(i).padStart(2, "0")}.md`] = `Berth crane log: quay${i}x tug${i}y pilot${i}z.\n`;
    const filler = Array.from({ length: 80 }, (_, p) => Array.from({ length: 11 }, (_, w) => `word${p}w${w}`).join(" ") + ".");
    filler.splice(40, 0, "Zebrafinch lighthouse berth crane manifest pallet.");
    files["long.md"] = filler.join("\n\n") + "\n";
    const { collectionId } = await indexed("golden-gate", files, { chunkSize: 100, chunkOverlap: 0 });

    const golden = await h.svc.createGoldenQuery({ ctx, input: { collectionId, query: "zebrafinch lighthouse berth crane manifest pallet", expected: ["long.md"] } });
    expect((await h.svc.tryGoldenQuery({ ctx, input: { collectionId, queryId: golden.id } })).expected).toEqual([expect.objectContaining({ path: "long.md", rank: 1 })]);

    const { operationId } = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 20_000, chunkOverlap: 0 }, confirm: "golden-gate" } });
    const done = await h.finished(ctx, operationId, 120_000);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/^Validation failed: golden \(1 of 1 golden queries lose expected documents: “zebrafinch lighthouse berth crane manifest pallet” finds 0 of 1 \(live version: 1 of 1\); needs each golden query ≥ 0\.7 .*\)\. The live version was not touched\.$/);
    const report = (await step(operationId, "validation"))!.output as { gates: { name: string; passed: boolean }[]; queries: { kind: string; recallOld: number; recallNew: number }[] };
    expect(report.gates.filter((g) => !g.passed).map((g) => g.name)).toEqual(["golden"]);
    expect(report.gates.find((g) => g.name === "recall")!.passed).toBe(true);
    expect(report.queries.filter((q) => q.kind === "golden")).toEqual([expect.objectContaining({ recallOld: 1, recallNew: 0 })]);

    const { versions, history } = await h.svc.listVersions({ ctx, input: { collectionId } });
    expect(versions.map((v) => [v.version, v.status])).toEqual([[2, "failed"], [1, "active"]]);
    expect(history).toHaveLength(1);
    expect((await h.svc.tryGoldenQuery({ ctx, input: { collectionId, queryId: golden.id } })).expected[0]!.rank).toBe(1);

    // Without the golden query, the same reindex passes: the gate was the golden query's.
    await h.svc.deleteGoldenQuery({ ctx, input: { collectionId, queryId: golden.id } });
    const again = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 20_000, chunkOverlap: 0 }, confirm: "golden-gate" } });
    expect(await h.finished(ctx, again.operationId, 120_000)).toMatchObject({ status: "succeeded", result: { fromVersion: 1, toVersion: 3 } });
  }, 300_000);

  it("a rollback after documents were appended is refused, saying why, and the live version stays", async () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`entry-${i}.md`, `# Entry ${i}\n\nThe reefer ${i} was stowed in bay ${i * 2} and its lashing checked by crew ${i}.\n`]));
    const { collectionId, dir } = await indexed("rollback-refused", files, { chunkSize: 300, chunkOverlap: 30 });
    const reindex = await h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 150, chunkOverlap: 0 }, confirm: "rollback-refused" } });
    expect(await h.finished(ctx, reindex.operationId, 120_000)).toMatchObject({ status: "succeeded", result: { fromVersion: 1, toVersion: 2 } });

    await fs.writeFile(path.join(dir, "entry-late.md"), "# Late entry\n\nThe tug Persistence arrived after the switch.\n");
    const sourceId = (await h.svc.getCollection({ ctx, input: { collectionId } })).sources[0]!.source.id;
    const appended = await h.svc.appendSource({ ctx, input: { collectionId, sourceId } });
    expect(await h.finished(ctx, appended.operationId, 60_000)).toMatchObject({ status: "succeeded", result: { inserted: 1 } });

    const { rollbackTo } = await h.svc.listVersions({ ctx, input: { collectionId } });
    expect(rollbackTo).toMatchObject({ version: 1 });
    const back = await h.svc.rollBackCollection({ ctx, input: { collectionId, toVersionId: rollbackTo!.versionId } });
    const done = await h.finished(ctx, back.operationId, 60_000);
    expect(done.status).toBe("failed");
    // stopOnPermanent says the operation stopped, then why.
    expect(done.error).toBe("Stopped: Rollback refused: 1 document(s) were added since the switch and are not in it. Reindex instead.");

    const { versions, history } = await h.svc.listVersions({ ctx, input: { collectionId } });
    expect(versions.map((v) => [v.version, v.status])).toEqual([[2, "active"], [1, "retired"]]);
    expect(history.map((c) => c.reason)).toEqual(["reindex", "index"]);
    expect(await (await h.svc.getVectorStore()).resolveAlias("rollback-refused")).toBe("rollback-refused__v2");
    const { hits } = await h.svc.searchCollection({ ctx, input: { collectionId, query: "tug Persistence arrived after the switch", limit: 1 } });
    expect(hits[0]?.path).toBe("entry-late.md");
  }, 300_000);

  it("after reindex, rollback, reindex, the version offered for rollback is the one a rollback goes back to", async () => {
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`berth-${i}.md`, `# Berth ${i}\n\nThe gantry at berth ${i} lifted ${i * 11} boxes before the tide turned.\n`]));
    const { collectionId } = await indexed("offered-rollback", files, { chunkSize: 300, chunkOverlap: 30 });
    const run = async (started: Promise<{ operationId: string }>) => expect((await h.finished(ctx, (await started).operationId, 120_000)).status).toBe("succeeded");
    await run(h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 200 }, confirm: "offered-rollback" } }));
    await run(h.svc.rollBackCollection({ ctx, input: { collectionId } }));
    await run(h.svc.startReindex({ ctx, input: { collectionId, settings: { chunkSize: 400 }, confirm: "offered-rollback" } }));
    const { versions, rollbackTo } = await h.svc.listVersions({ ctx, input: { collectionId } });
    expect(versions.map((v) => [v.version, v.status])).toEqual([[3, "active"], [2, "retired"], [1, "retired"]]);
    // Version 1 was retired last (by the second reindex), so a rollback goes back to it, not to 2.
    expect(rollbackTo).toMatchObject({ version: 1 });
    const stale = versions.find((v) => v.version === 2)!;
    await expect(h.svc.rollBackCollection({ ctx, input: { collectionId, toVersionId: stale.id } })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("now version 1") });
    const back = await h.svc.rollBackCollection({ ctx, input: { collectionId, toVersionId: rollbackTo!.versionId } });
    expect(await h.finished(ctx, back.operationId, 60_000)).toMatchObject({ status: "succeeded", result: { fromVersion: 3, toVersion: 1 } });
  }, 300_000);
});
