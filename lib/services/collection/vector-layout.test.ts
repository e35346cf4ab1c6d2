import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import { describeVectorLayout, vectorLayoutFromForm, VectorLayoutInput } from "./vector-layout";

describe("vector layout settings", () => {
  it("accepts Qdrant's bounds, defaults to nothing set, and refuses what Qdrant would", () => {
    expect(VectorLayoutInput.parse(undefined)).toEqual({});
    expect(VectorLayoutInput.parse({ vectorsOnDisk: true, hnswM: 0, hnswEfConstruct: "200", shardNumber: 2, replicationFactor: 2 })).toEqual({ vectorsOnDisk: true, hnswM: 0, hnswEfConstruct: 200, shardNumber: 2, replicationFactor: 2 });
    expect(VectorLayoutInput.safeParse({ hnswEfConstruct: 3 }).success).toBe(false);
    expect(VectorLayoutInput.safeParse({ shardNumber: 0 }).success).toBe(false);
    expect(VectorLayoutInput.safeParse({ replicationFactor: 1.5 }).success).toBe(false);
    expect(VectorLayoutInput.safeParse({ quantization: "int8" }).success).toBe(false);
  });

  it("reads a flat form: empty fields are unset, a ticked box is on", () => {
    expect(vectorLayoutFromForm({ vectorsOnDisk: "on", hnswM: "32", hnswEfConstruct: "", shardNumber: undefined })).toEqual({ vectorsOnDisk: true, hnswM: "32" });
    expect(vectorLayoutFromForm({})).toEqual({});
  });

  it("shows each setting as chosen, or the server's default", () => {
    const rows = describeVectorLayout({ vectorsOnDisk: true, hnswM: 32 });
    expect(rows.map((r) => [r.label, r.value])).toEqual([
      ["Vectors", "on disk"],
      ["HNSW m", "32"],
      ["HNSW ef_construct", "server default (100)"],
      ["Shards", "server default (1 on one node, else one per node)"],
      ["Replication factor", "server default (1)"],
    ]);
  });
});

describe("createCollection with a vector layout", () => {
  let h: PipelineHarness;
  beforeAll(async () => {
    h = await startPipelineHarness();
  });
  afterAll(() => h?.close());

  it("stores the layout on the collection and in its audit entry, and refuses one Qdrant would refuse", async () => {
    const operator = await actorContext("operator");
    const dir = path.join(h.root, "layout-notes");
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "a.md"), "# A note on shard placement\n");
    const vectorLayout = { vectorsOnDisk: true, hnswM: 32, hnswEfConstruct: 256, shardNumber: 2, replicationFactor: 2 };
    const source = { kind: "directory", name: "notes", path: dir };
    const created = await h.svc.createCollection({ ctx: operator, input: { name: "layout-set", source, vectorLayout } });
    const [row] = await getSql()`select vector_layout from collections where id = ${created.collectionId}`;
    expect(row!.vector_layout).toEqual(vectorLayout);
    const audit = (await auditRowsOf(operator.correlationId)).find((r) => r.action === "collection.create" && r.outcome === "success");
    expect((audit!.params as { vectorLayout: unknown }).vectorLayout).toEqual(vectorLayout);
    await h.finished(operator, created.operationId);

    const plain = await h.svc.createCollection({ ctx: operator, input: { name: "layout-default", source } });
    const [defaulted] = await getSql()`select vector_layout from collections where id = ${plain.collectionId}`;
    expect(defaulted!.vector_layout).toEqual({});
    await h.finished(operator, plain.operationId);

    await expect(h.svc.createCollection({ ctx: operator, input: { name: "layout-bad", source, vectorLayout: { hnswEfConstruct: 2 } } })).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: { "vectorLayout.hnswEfConstruct": ["At least 4."] },
    });
    expect(await getSql()`select 1 from collections where name = 'layout-bad'`).toHaveLength(0);
  });
});
