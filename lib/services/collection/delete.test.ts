import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "../context";

/** Deleting a collection through the real pipeline's data: PostgreSQL rows, LanceDB versions, uploads. */
describe("deleteCollection", () => {
  let h: PipelineHarness;
  let admin: ServiceContext;
  let remove: typeof import("./delete").deleteCollection;

  beforeAll(async () => {
    h = await startPipelineHarness();
    admin = await actorContext("admin");
    ({ deleteCollection: remove } = await import("./delete"));
  });
  afterAll(() => h?.close());

  async function indexedCollection(name: string) {
    const dir = path.join(h.root, name);
    await fs.mkdir(dir, { recursive: true });
    for (let i = 0; i < 3; i++) await fs.writeFile(path.join(dir, `note-${i}.md`), `# Note ${i}\n\nCargo manifest number ${i} for the ${name} collection.\n`);
    const created = await h.svc.createCollection({ ctx: admin, input: { name, source: { kind: "directory", name: "notes", path: dir } } });
    expect((await h.finished(admin, created.operationId)).status).toBe("succeeded");
    const staged = path.join(h.root, `${name}-staged`);
    await fs.writeFile(staged, "An uploaded note about the harbour master.");
    const upload = await h.svc.uploadFiles({ ctx: admin, input: { collectionId: created.collectionId }, files: [{ name: "upload.md", path: staged, bytes: 44 }] });
    expect((await h.finished(admin, upload.operationId)).status).toBe("succeeded");
    return { ...created, dir };
  }

  it("refuses anyone but an admin, and a wrong or missing name, changing nothing", async () => {
    const { collectionId } = await indexedCollection("keep-me");
    for (const role of ["viewer", "operator"] as const) {
      const ctx = await actorContext(role);
      await expect(remove({ ctx, input: { collectionId, confirmName: "keep-me" } })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.targetId])).toEqual([["collection.delete", "denied", collectionId]]);
    }
    await expect(remove({ ctx: admin, input: { collectionId, confirmName: "keep-m" } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { confirmName: ["Type “keep-me” to confirm."] } });
    await expect(remove({ ctx: admin, input: { collectionId } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { confirmName: [expect.any(String)] } });
    const [row] = await getSql()`select status from collections where id = ${collectionId}`;
    expect(row?.status).toBe("ready");
  });

  it("refuses while an operation is active on the collection", async () => {
    const { collectionId } = await indexedCollection("busy-one");
    const sql = getSql();
    await sql`insert into operations (type, status, collection_id, params, correlation_id) values ('APPEND', 'queued', ${collectionId}, '{}', ${admin.correlationId})`;
    await expect(remove({ ctx: admin, input: { collectionId, confirmName: "busy-one" } })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("APPEND") });
    await sql`update operations set status = 'cancelled' where collection_id = ${collectionId} and status = 'queued'`;
  });

  it("removes its points in every version, its documents, sources and uploaded files, keeps its operations, and audits it", async () => {
    const { collectionId, dir } = await indexedCollection("old-manuals");
    const sql = getSql();
    const [upload] = await sql<{ path: string }[]>`select path from sources where collection_id = ${collectionId} and kind = 'upload'`;
    const versions = (await sql<{ physical_name: string }[]>`select physical_name from collection_versions where collection_id = ${collectionId}`).map((v) => v.physical_name);
    const store = await h.svc.getVectorStore();
    expect(await store.count("old-manuals")).toBeGreaterThan(0);
    const opsBefore = (await sql`select id from operations where collection_id = ${collectionId}`).length;

    const result = await remove({ ctx: admin, input: { collectionId, confirmName: "old-manuals" } });
    expect(result).toMatchObject({ name: "old-manuals", documents: 4, versions: 1 });

    expect(await sql`select 1 from collections where id = ${collectionId}`).toHaveLength(0);
    expect(await sql`select 1 from documents where collection_id = ${collectionId}`).toHaveLength(0);
    expect(await sql`select 1 from sources where collection_id = ${collectionId}`).toHaveLength(0);
    expect(await store.resolveAlias("old-manuals")).toBeNull();
    for (const name of versions) expect(await store.collectionInfo(name)).toBeNull();
    await expect(fs.stat(upload!.path)).rejects.toMatchObject({ code: "ENOENT" });
    // The server folder it was indexed from is the operator's, not ours.
    expect((await fs.readdir(dir)).length).toBe(3);
    const [after] = await sql<{ n: number }[]>`select count(*)::int as n from operations where params->>'collection' = 'old-manuals'`;
    expect(after!.n).toBe(opsBefore);
    const audit = await auditRowsOf(admin.correlationId);
    expect(audit.filter((r) => r.action === "collection.delete" && r.outcome === "success").map((r) => [r.targetId, (r.params as { name?: string }).name])).toEqual([[collectionId, "old-manuals"]]);

    // The name is free again, and a new collection of that name starts empty.
    const again = await indexedCollection("old-manuals");
    expect(await store.count("old-manuals")).toBe((await sql<{ n: number }[]>`select coalesce(sum(chunk_count), 0)::int as n from documents where collection_id = ${again.collectionId} and duplicate_of is null`)[0]!.n);
  });
});
