import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { actorContext } from "@/db/test/factories";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@/lib/embeddings/test-support/fake-openai-server";
import type { ServiceContext } from "@/lib/services/context";
import { startPipelineHarness, type PipelineHarness } from "./test-support/harness";

/** What an INDEX reports: its result, the collection's counts, its outcome and its log tell the same story. */
describe("pipeline outcome", () => {
  let h: PipelineHarness;
  let fake: FakeOpenAiServer;
  let ctx: ServiceContext;
  let svc: PipelineHarness["svc"];

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ dimension: 32 });
    h = await startPipelineHarness({
      STEVEDORE_PIPELINE_BATCH_SIZE: "5",
      STEVEDORE_EMBEDDING_URL: fake.url,
      STEVEDORE_EMBEDDING_API_KEY: fake.apiKey!,
      STEVEDORE_EMBEDDING_DIMENSION: "32",
      STEVEDORE_EMBEDDING_MAX_RETRIES: "0",
    });
    ({ svc } = h);
    ctx = await actorContext("operator");
  });

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const logOf = async (operationId: string) => (await svc.listOperationLogs({ ctx, input: { operationId, limit: 500 } })).lines.map((l) => l.message);

  it("counts copies of a dead letter as dead, says the INDEX succeeded with failures, and logs each batch and the finish", async () => {
    const dir = path.join(h.root, "usr-doc");
    await fs.mkdir(dir);
    for (let i = 0; i < 4; i++) await fs.writeFile(path.join(dir, `note-${i}.md`), `# Note ${i}\n\n${"Harbour notes about cranes and tides. ".repeat(20)} ${i}`);
    await fs.writeFile(path.join(dir, "note-copy.md"), await fs.readFile(path.join(dir, "note-0.md")));
    // An unsupported file and three copies of it: the copies must not count as complete.
    for (const name of ["a.png", "b.png", "c.png", "d.png"]) await fs.writeFile(path.join(dir, name), "not a known format");
    const { collectionId, operationId } = await svc.createCollection({ ctx, input: { name: "usr-doc", source: { kind: "directory", name: "usr-doc", path: dir } } });
    const op = await h.finished(ctx, operationId);

    expect(op.status).toBe("succeeded");
    expect(op.result).toMatchObject({ files: 9, inserted: 4, duplicate: 1, duplicateOfDead: 3, failed: 4, outcome: "succeeded_with_failures", failedShare: 0.444 });
    const collection = await svc.getCollection({ ctx, input: { collectionId } });
    const stages = Object.fromEntries(collection.stages.map((s) => [s.stage, s.n]));
    expect(stages).toEqual({ complete: 5, dead: 4 });
    const result = op.result as Record<string, number>;
    expect(collection.stats).toMatchObject({ complete: result.inserted! + result.duplicate!, dead: result.failed, points: result.chunks });

    const dead = (await svc.listDocuments({ ctx, input: { collectionId, stage: "dead" } })).documents;
    const copies = dead.filter((d) => d.path !== "a.png");
    expect(copies.map((d) => d.path)).toEqual(["b.png", "c.png", "d.png"]);
    expect(copies.every((d) => d.errorClass === "duplicate_of_dead" && d.errorStage === "parsing" && d.errorMessage?.includes("a.png, a dead letter (parse_unsupported)"))).toBe(true);
    const history = await svc.documentHistory({ ctx, input: { documentId: copies[0]!.id } });
    expect(history.map((e) => `${e.stage}:${e.errorClass ?? ""}`)).toEqual(["uploaded:", "complete:duplicate", "dead:duplicate_of_dead"]);
    // A copy shares its original's fate: no retry can help copies of an unsupported file, and the summary, rows and CSV say so.
    expect(await svc.deadLettersOf({ ctx, input: { collectionId } })).toEqual([
      expect.objectContaining({ errorClass: "duplicate_of_dead", originalErrorClass: "parse_unsupported", n: 3, label: "Copy of a dead letter: Unsupported format, or not text", retryable: false }),
      expect.objectContaining({ errorClass: "parse_unsupported", n: 1, label: "Unsupported format, or not text", retryable: false }),
    ]);
    expect(copies.map((d) => d.originalErrorClass)).toEqual(["parse_unsupported", "parse_unsupported", "parse_unsupported"]);

    // The status filter finds it as a success with failures, and not among clean successes.
    const clean = path.join(h.root, "clean");
    await fs.mkdir(clean);
    await fs.writeFile(path.join(clean, "fine.md"), "# Fine\n\nNothing wrong here at all.");
    const cleanOp = await svc.createCollection({ ctx, input: { name: "clean", source: { kind: "directory", name: "clean", path: clean } } });
    expect((await h.finished(ctx, cleanOp.operationId)).result).toMatchObject({ outcome: "succeeded", failedShare: 0 });
    const ids = async (status: string) => (await svc.listOperations({ ctx, input: { status } })).rows.map((r) => r.operation.id);
    expect(await ids("succeeded_with_failures")).toContain(operationId);
    expect(await ids("succeeded_with_failures")).not.toContain(cleanOp.operationId);
    expect(await ids("succeeded")).toContain(cleanOp.operationId);
    expect(await ids("succeeded")).not.toContain(operationId);

    // One line per batch (9 files in batches of 5: two parse batches, the copies skipped), and the finish.
    const log = await logOf(operationId);
    const parseLines = log.filter((l) => l.startsWith("Parse batch "));
    expect(parseLines).toHaveLength(1);
    expect(parseLines[0]).toMatch(/^Parse batch \S+: 4 parsed, 1 dead \(parse_unsupported 1\)\.$/);
    expect(log.filter((l) => /^Embed batch \S+: 4 document\(s\) stored, \d+ chunks\.$/.test(l))).toHaveLength(1);
    expect(log.at(-1)).toBe(`Finished with failures: 4 indexed, 1 duplicate(s), 4 dead (44 %, 3 of them copies of dead letters); 0 unchanged; ${op.result!.chunks} chunks.`);
  }, 90_000);

  it("copies follow their original when the dead original is retried and completes", async () => {
    const dir = path.join(h.root, "refused");
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, "a-original.md"), `# Original\n\n${"Manifest lines the service will first refuse. ".repeat(10)}`);
    for (const name of ["copy-1.md", "copy-2.md"]) await fs.writeFile(path.join(dir, name), await fs.readFile(path.join(dir, "a-original.md")));
    await fs.writeFile(path.join(dir, "other.md"), "# Other\n\nA second original, refused too.");
    fake.failAll(400);
    const { collectionId, operationId } = await svc.createCollection({ ctx, input: { name: "refused", embeddingModel: "openai:fake-embed", source: { kind: "directory", name: "refused", path: dir } } });
    const first = await h.finished(ctx, operationId);
    expect(first.result).toMatchObject({ inserted: 0, duplicate: 0, duplicateOfDead: 2, failed: 4, outcome: "succeeded_with_failures", failedShare: 1 });
    const refused = (await svc.listDocuments({ ctx, input: { collectionId, path: "a-original.md" } })).documents[0]!;
    expect(refused).toMatchObject({ stage: "dead", errorClass: "embed_rejected", errorMessage: "The embedding service refused this document: embedding request rejected (400)." });

    // Retrying the copies retries their original; once it completes, they are complete again.
    fake.recover();
    const retry = await svc.retryDocuments({ ctx, input: { collectionId, matching: { errorClass: "duplicate_of_dead" } } });
    expect(retry.documents).toBe(1);
    const second = await h.finished(ctx, retry.operationId);
    expect(second.result).toMatchObject({ inserted: 1, duplicate: 2, duplicateOfDead: 0, failed: 0, outcome: "succeeded" });
    const collection = await svc.getCollection({ ctx, input: { collectionId } });
    expect(Object.fromEntries(collection.stages.map((s) => [s.stage, s.n]))).toEqual({ complete: 3, dead: 1 });
    const copies = (await svc.listDocuments({ ctx, input: { collectionId, path: "copy-" } })).documents;
    expect(copies.map((d) => [d.stage, d.errorClass])).toEqual([
      ["complete", "duplicate"],
      ["complete", "duplicate"],
    ]);
    expect(await (await svc.getVectorStore()).count("refused")).toBe(collection.stats.points);
  }, 90_000);

  it("keeps the routine log bounded: past the cap one line says so, and the finish is still written", async () => {
    const { appendRoutineLog } = await import("./operation-log");
    const [op] = await getSql()`insert into operations (type, status, correlation_id) values ('INDEX', 'running', 'cap-test') returning id`;
    const operationId = op!.id as string;
    const written = [];
    for (let i = 0; i < 5; i++) written.push(await appendRoutineLog(operationId, "info", `Parse batch ${i}: 5 parsed.`, undefined, 3));
    expect(written).toEqual([true, true, true, false, false]);
    const { finishOperation } = await import("@/lib/services/operation/progress");
    await finishOperation(operationId, { status: "succeeded", log: { level: "info", message: "Finished: 15 indexed." } });
    expect(await logOf(operationId)).toEqual([
      "Parse batch 0: 5 parsed.",
      "Parse batch 1: 5 parsed.",
      "Parse batch 2: 5 parsed.",
      "The log holds 3 lines: further batch lines are left out (the finish line has the totals).",
      "Finished: 15 indexed.",
    ]);
  });
});
