import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "../context";

/** Retrying dead letters through the real pipeline: only reasons a retry can change are retried. */
describe("retryDocuments and permanent reasons", () => {
  let h: PipelineHarness;
  let operator: ServiceContext;
  let collectionId: string;
  let dead: Array<{ id: string; path: string; errorClass: string | null }>;

  beforeAll(async () => {
    h = await startPipelineHarness();
    operator = await actorContext("operator");
    const dir = path.join(h.root, "mixed");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "empty.txt"), "");
    await fs.writeFile(path.join(dir, "diagram.png"), "not a format we read");
    await fs.writeFile(path.join(dir, "fine.md"), "# Fine\n\nA manifest for the tug Persistence.");
    await fs.writeFile(path.join(dir, "flaky.md"), "# Flaky\n\nThis one failed for a transient reason.");
    const created = await h.svc.createCollection({ ctx: operator, input: { name: "retry-reasons", source: { kind: "directory", name: "mixed", path: dir } } });
    collectionId = created.collectionId;
    expect((await h.finished(operator, created.operationId)).result).toMatchObject({ inserted: 2, failed: 2 });
    // What requeue.ts writes after the last failed attempt of a transient failure.
    await getSql()`update documents set stage = 'dead', error_stage = 'embedding', error_class = 'retries_exhausted', error_message = 'Gave up after 5 failed attempts.'
      where collection_id = ${collectionId} and path = 'flaky.md'`;
    dead = (await h.svc.listDocuments({ ctx: operator, input: { collectionId, stage: "dead" } })).documents;
    expect(dead.map((d) => [d.path, d.errorClass])).toEqual([
      ["diagram.png", "parse_unsupported"],
      ["empty.txt", "parse_empty"],
      ["flaky.md", "retries_exhausted"],
    ]);
  }, 60_000);
  afterAll(() => h?.close());

  const idOf = (p: string) => dead.find((d) => d.path === p)!.id;

  it("refuses selected documents dead for a reason no retry can change, says why and what to do, and audits the refusal", async () => {
    const ctx = await actorContext("operator");
    const refused = retryDocuments(ctx, { collectionId, documentIds: [idOf("diagram.png"), idOf("flaky.md")] });
    await expect(refused).rejects.toMatchObject({ code: "invalid", message: expect.stringMatching(/One selected document is dead because of “Unsupported format, or not text” \(parse_unsupported\), which a retry cannot change\. Convert it/) });
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.error])).toEqual([["document.retry", "failure", expect.stringContaining("a retry cannot change")]]);
    const [row] = await getSql()`select stage from documents where id = ${idOf("flaky.md")}`;
    expect(row?.stage).toBe("dead");
  });

  it("refuses “all matching” a permanent class, naming it", async () => {
    await expect(retryDocuments(operator, { collectionId, matching: { errorClass: "parse_empty" } })).rejects.toMatchObject({ code: "invalid", message: expect.stringContaining("“Empty file” (parse_empty)") });
  });

  it("“all matching” with no class retries only what a retry can help, and it is indexed", async () => {
    const started = await retryDocuments(operator, { collectionId, matching: {} });
    expect(started.documents).toBe(1);
    expect((await h.finished(operator, started.operationId)).result).toMatchObject({ inserted: 1, failed: 0 });
    const stages = await getSql()<{ path: string; stage: string }[]>`select path, stage from documents where collection_id = ${collectionId} order by path`;
    expect(stages.map((s) => [s.path, s.stage])).toEqual([
      ["diagram.png", "dead"],
      ["empty.txt", "dead"],
      ["fine.md", "complete"],
      ["flaky.md", "complete"],
    ]);
    // Nothing left that a retry could help.
    await expect(retryDocuments(operator, { collectionId, matching: {} })).rejects.toMatchObject({ code: "invalid", message: expect.stringContaining("nothing to retry") });
  }, 60_000);

  it("what the refusal advises works: a fixed file is picked up by “Append new and changed files”", async () => {
    await fs.writeFile(path.join(h.root, "mixed", "empty.txt"), "Now this file has text about the harbour.");
    const sourceId = (await h.svc.getCollection({ ctx: operator, input: { collectionId } })).sources[0]!.source.id;
    const appended = await h.svc.appendSource({ ctx: operator, input: { collectionId, sourceId } });
    expect((await h.finished(operator, appended.operationId)).result).toMatchObject({ inserted: 1, failed: 0 });
    const [row] = await getSql()`select stage from documents where id = ${idOf("empty.txt")}`;
    expect(row?.stage).toBe("complete");
  }, 60_000);

  it("rejects a viewer", async () => {
    const viewer = await actorContext("viewer");
    await expect(retryDocuments(viewer, { collectionId, documentIds: [idOf("flaky.md")] })).rejects.toMatchObject({ code: "forbidden" });
    expect((await auditRowsOf(viewer.correlationId)).map((r) => [r.action, r.outcome])).toEqual([["document.retry", "denied"]]);
  });

  const retryDocuments = (ctx: ServiceContext, input: Record<string, unknown>) => h.svc.retryDocuments({ ctx, input });
});
