import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { DEFAULT_POLICY } from "@/lib/reindex/policy";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "../context";

/** Golden queries, the reindex policy, keep and delete of versions, on collections the real pipeline indexed. */
describe("golden queries, reindex policy and version verbs", () => {
  let h: PipelineHarness;
  let operator: ServiceContext;
  let admin: ServiceContext;
  let viewer: ServiceContext;
  let collectionId: string;
  let docs: Array<{ id: string; path: string; stage: string; duplicateOf: string | null }>;

  async function indexed(name: string, files: Record<string, string>, settings: { chunkSize?: number; chunkOverlap?: number } = {}) {
    const dir = path.join(h.root, name);
    for (const [file, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fs.writeFile(path.join(dir, file), text);
    }
    const created = await h.svc.createCollection({ ctx: operator, input: { name, source: { kind: "directory", name: "notes", path: dir }, ...settings } });
    expect((await h.finished(operator, created.operationId, 120_000)).status).toBe("succeeded");
    return created.collectionId;
  }

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_DISK_MARGIN_BYTES: "0" });
    [operator, admin, viewer] = await Promise.all([actorContext("operator"), actorContext("admin"), actorContext("viewer")]);
    const files: Record<string, string> = { "empty.txt": "", "copy-of-0.md": "# Note 0\n\nThe tug Persistence berths at quay 0 at dawn.\n" };
    for (let i = 0; i < 8; i++) files[`note-${i}.md`] = `# Note ${i}\n\nThe tug Persistence berths at quay ${i} at dawn.\n`;
    files["deep/harbour-master.md"] = "# Harbour master\n\nThe harbour master signs every bonded manifest before the gantry lifts it.\n";
    collectionId = await indexed("golden-verbs", files);
    docs = (await h.svc.listDocuments({ ctx: operator, input: { collectionId, limit: 50 } })).documents;
  }, 180_000);
  afterAll(() => h?.close());

  const doc = (p: string) => docs.find((d) => d.path === p)!;

  describe("golden queries", () => {
    it("resolves paths (and ids) to the documents, lists them with their paths, and audits the creation", async () => {
      const ctx = await actorContext("operator");
      const created = await h.svc.createGoldenQuery({ ctx, input: { collectionId, query: "  who signs a bonded manifest?  ", expected: ["deep/harbour-master.md", "./note-1.md", doc("note-2.md").id, "note-1.md", ""] } });
      expect(created.query).toBe("who signs a bonded manifest?");
      expect(created.expected.map((e) => e.documentId)).toEqual([doc("deep/harbour-master.md").id, doc("note-1.md").id, doc("note-2.md").id]);
      const listed = (await h.svc.listGoldenQueries({ ctx: viewer, input: { collectionId } })).find((q) => q.id === created.id)!;
      expect(listed).toMatchObject({ query: "who signs a bonded manifest?", createdBy: ctx.actor.email });
      expect(listed.expected.map((e) => e.path)).toEqual(["deep/harbour-master.md", "note-1.md", "note-2.md"]);
      const audit = await auditRowsOf(ctx.correlationId);
      expect(audit.map((r) => [r.action, r.outcome, r.targetType, r.targetId])).toEqual([["golden_query.create", "success", "golden_query", created.id]]);
      expect(audit[0]!.params).toMatchObject({ collection: "golden-verbs", expectedDocumentIds: created.expected.map((e) => e.documentId) });
    });

    it("names the paths that are not in the collection on the expected field, stores nothing, and audits the failure", async () => {
      const ctx = await actorContext("operator");
      const refused = h.svc.createGoldenQuery({ ctx, input: { collectionId, query: "tug at dawn", expected: ["note-3.md", "no-such-note.md", "deep/missing.md"] } });
      await expect(refused).rejects.toMatchObject({ code: "invalid", fieldErrors: { expected: ["Not in this collection: no-such-note.md, deep/missing.md."] } });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome])).toEqual([["golden_query.create", "failure"]]);
      const [row] = await getSql()<{ n: number }[]>`select count(*)::int as n from golden_queries where collection_id = ${collectionId} and query = 'tug at dawn'`;
      expect(row!.n).toBe(0);
    });

    it("refuses documents no search can find: a dead one, a duplicate (naming its original), another collection's", async () => {
      const duplicate = docs.find((d) => d.duplicateOf)!;
      const original = docs.find((d) => d.id === duplicate.duplicateOf)!;
      expect([duplicate.path, original.path].sort()).toEqual(["copy-of-0.md", "note-0.md"]);
      expect(doc("empty.txt").stage).toBe("dead");
      const other = await indexed("golden-other", { "elsewhere.md": "# Elsewhere\n\nA note in another collection.\n" });
      const elsewhere = (await h.svc.listDocuments({ ctx: operator, input: { collectionId: other } })).documents[0]!;
      await expect(h.svc.createGoldenQuery({ ctx: operator, input: { collectionId, query: "quay", expected: ["empty.txt", duplicate.path, elsewhere.id] } })).rejects.toMatchObject({
        fieldErrors: {
          expected: [`Not in this collection: ${elsewhere.id}.`, "Not indexed, so no search finds it: empty.txt (dead).", `A duplicate has no points of its own; expect its original instead: ${duplicate.path} (a copy of ${original.path}).`],
        },
      });
    }, 60_000);

    it("bounds: a query of 1 to 500 characters, 1 to 20 expected documents, no second copy of a query", async () => {
      const many = Array.from({ length: 21 }, (_, i) => `note-${i}.md`);
      await expect(h.svc.createGoldenQuery({ ctx: operator, input: { collectionId, query: "x".repeat(501), expected: many } })).rejects.toMatchObject({
        fieldErrors: { query: ["At most 500 characters."], expected: ["At most 20 expected documents."] },
      });
      await expect(h.svc.createGoldenQuery({ ctx: operator, input: { collectionId, query: "   ", expected: ["  "] } })).rejects.toMatchObject({
        fieldErrors: { query: [expect.any(String)], expected: ["Name at least one document the query should find."] },
      });
      await h.svc.createGoldenQuery({ ctx: operator, input: { collectionId, query: "quay 5 at dawn", expected: ["note-5.md"] } });
      await expect(h.svc.createGoldenQuery({ ctx: operator, input: { collectionId, query: "quay 5 at dawn", expected: ["note-6.md"] } })).rejects.toMatchObject({ fieldErrors: { query: ["This collection already has this golden query."] } });
    });

    it("refuses a viewer's create and delete, and audits both refusals with what they were about", async () => {
      const [query] = await h.svc.listGoldenQueries({ ctx: viewer, input: { collectionId } });
      const ctx = await actorContext("viewer");
      await expect(h.svc.createGoldenQuery({ ctx, input: { collectionId, query: "viewer's query", expected: ["note-4.md"] } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(h.svc.deleteGoldenQuery({ ctx, input: { collectionId, queryId: query!.id } })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.targetType, r.targetId])).toEqual([
        ["golden_query.create", "denied", "collection", collectionId],
        ["golden_query.delete", "denied", "golden_query", query!.id],
      ]);
      expect((await h.svc.listGoldenQueries({ ctx: viewer, input: { collectionId } })).map((q) => q.id)).toContain(query!.id);
    });

    it("“Try it” ranks the expected documents among the live version's top 10 documents", async () => {
      const created = await h.svc.createGoldenQuery({ ctx: operator, input: { collectionId, query: "harbour master signs every bonded manifest", expected: ["deep/harbour-master.md", "note-7.md"] } });
      const tried = await h.svc.tryGoldenQuery({ ctx: viewer, input: { collectionId, queryId: created.id } });
      expect(tried.k).toBe(10);
      expect(tried.top[0]).toMatchObject({ rank: 1, path: "deep/harbour-master.md" });
      expect(new Set(tried.top.map((t) => t.documentId)).size).toBe(tried.top.length);
      expect(tried.expected.find((e) => e.path === "deep/harbour-master.md")!.rank).toBe(1);
      expect(tried.found).toBe(tried.expected.filter((e) => e.rank !== null).length);
    });

    it("deletes a golden query (operators), audited; a second delete is not found", async () => {
      const created = await h.svc.createGoldenQuery({ ctx: operator, input: { collectionId, query: "to be deleted", expected: ["note-3.md"] } });
      const ctx = await actorContext("operator");
      expect(await h.svc.deleteGoldenQuery({ ctx, input: { collectionId, queryId: created.id } })).toEqual({ deleted: created.id });
      expect((await h.svc.listGoldenQueries({ ctx, input: { collectionId } })).map((q) => q.id)).not.toContain(created.id);
      await expect(h.svc.deleteGoldenQuery({ ctx, input: { collectionId, queryId: created.id } })).rejects.toMatchObject({ code: "not_found" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome])).toEqual([
        ["golden_query.delete", "success"],
        ["golden_query.delete", "failure"],
      ]);
    });
  });

  describe("reindex policy", () => {
    it("reads the defaults, and says every field is one", async () => {
      const read = await h.svc.getReindexPolicy({ ctx: viewer, input: { collectionId } });
      expect(read).toMatchObject({ policy: DEFAULT_POLICY, defaults: DEFAULT_POLICY });
      expect([...read.defaulted].sort()).toEqual(Object.keys(DEFAULT_POLICY).sort());
    });

    it("only admins change it; an operator's and a viewer's attempts are refused and audited", async () => {
      for (const role of ["viewer", "operator"] as const) {
        const ctx = await actorContext(role);
        await expect(h.svc.updateReindexPolicy({ ctx, input: { collectionId, minRecall: 0.9 } })).rejects.toMatchObject({ code: "forbidden" });
        expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.targetId])).toEqual([["collection.update_policy", "denied", collectionId]]);
      }
      expect((await h.svc.getReindexPolicy({ ctx: viewer, input: { collectionId } })).policy.minRecall).toBe(DEFAULT_POLICY.minRecall);
    });

    it("bounds: shares 0 to 1, whole hours 1 to 720, a boolean, known fields only, at least one", async () => {
      await expect(
        h.svc.updateReindexPolicy({ ctx: admin, input: { collectionId, countTolerance: -0.1, minOverlap: 1.5, minRecall: "high", approvalTimeoutHours: 0, rollbackWindowHours: 721, distinctApprover: "yes" } }),
      ).rejects.toMatchObject({
        code: "invalid",
        fieldErrors: {
          countTolerance: ["From 0 to 1 (0.3 is 30 %)."],
          minOverlap: ["From 0 to 1 (0.3 is 30 %)."],
          minRecall: ["Enter a number."],
          approvalTimeoutHours: ["From 1 to 720 hours (30 days)."],
          rollbackWindowHours: ["From 1 to 720 hours (30 days)."],
          distinctApprover: ["Choose yes or no."],
        },
      });
      await expect(h.svc.updateReindexPolicy({ ctx: admin, input: { collectionId, rollbackWindowHours: 1.5 } })).rejects.toMatchObject({ fieldErrors: { rollbackWindowHours: ["Whole hours."] } });
      await expect(h.svc.updateReindexPolicy({ ctx: admin, input: { collectionId, minRecal: 0.9 } })).rejects.toMatchObject({ fieldErrors: { _form: ["Unknown field: minRecal."] } });
      await expect(h.svc.updateReindexPolicy({ ctx: admin, input: { collectionId } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { _form: [expect.stringContaining("Give at least one of")] } });
    });

    it("an admin's change keeps the other fields, null goes back to the default, and the audit has the old and new policy", async () => {
      const ctx = await actorContext("admin");
      const first = await h.svc.updateReindexPolicy({ ctx, input: { collectionId, minRecall: 0.9, rollbackWindowHours: 48 } });
      expect(first.policy).toEqual({ ...DEFAULT_POLICY, minRecall: 0.9, rollbackWindowHours: 48 });
      expect(first.defaulted).not.toContain("minRecall");
      expect(first.defaulted).toContain("minOverlap");
      const second = await h.svc.updateReindexPolicy({ ctx, input: { collectionId, minRecall: null, distinctApprover: true } });
      expect(second.policy).toEqual({ ...DEFAULT_POLICY, rollbackWindowHours: 48, distinctApprover: true });
      expect(second.defaulted).toContain("minRecall");
      expect(await h.svc.getReindexPolicy({ ctx: viewer, input: { collectionId } })).toEqual(second);
      const audit = await auditRowsOf(ctx.correlationId);
      expect(audit.map((r) => [r.action, r.outcome, r.targetId, r.params])).toEqual([
        ["collection.update_policy", "success", collectionId, { collection: "golden-verbs", old: {}, new: { minRecall: 0.9, rollbackWindowHours: 48 } }],
        ["collection.update_policy", "success", collectionId, { collection: "golden-verbs", old: { minRecall: 0.9, rollbackWindowHours: 48 }, new: { rollbackWindowHours: 48, distinctApprover: true } }],
      ]);
    });
  });

  describe("keep and delete of versions, after a reindex under a 48-hour rollback window", () => {
    let versionsOf: string;
    let retired: { id: string; version: number };
    let live: { id: string; physicalName: string };

    beforeAll(async () => {
      const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`log-${i}.md`, `# Log ${i}\n\nPilot ${i} boarded the reefer ${i} off buoy ${i * 3}; the lashing crew ${i} stood by.\n\nDraft ${i} read ${i + 7} metres at the quay.\n`]));
      versionsOf = await indexed("versions-verbs", files, { chunkSize: 300, chunkOverlap: 30 });
      await h.svc.updateReindexPolicy({ ctx: admin, input: { collectionId: versionsOf, rollbackWindowHours: 48 } });
      const { operationId } = await h.svc.startReindex({ ctx: operator, input: { collectionId: versionsOf, settings: { chunkSize: 120, chunkOverlap: 0 }, confirm: "versions-verbs" } });
      expect(await h.finished(operator, operationId, 120_000)).toMatchObject({ status: "succeeded", result: { fromVersion: 1, toVersion: 2 } });
      const { versions } = await h.svc.listVersions({ ctx: viewer, input: { collectionId: versionsOf } });
      retired = versions.find((v) => v.status === "retired")!;
      live = versions.find((v) => v.status === "active")!;
    }, 180_000);

    it("offers the retired version for rollback, kept for the policy's window", async () => {
      const { versions, rollbackTo } = await h.svc.listVersions({ ctx: viewer, input: { collectionId: versionsOf } });
      const v1 = versions.find((v) => v.id === retired.id)!;
      expect(rollbackTo).toMatchObject({ versionId: retired.id, version: 1 });
      expect((v1.deleteAfter!.getTime() - v1.retiredAt!.getTime()) / 3600_000).toBeCloseTo(48, 1);
    });

    it("keepVersion keeps a retired version and lets it go again, audited; a viewer is refused, the live version cannot be kept", async () => {
      const ctx = await actorContext("operator");
      expect(await h.svc.keepVersion({ ctx, input: { collectionId: versionsOf, versionId: retired.id, keep: true } })).toEqual({ version: 1, keep: true });
      expect((await h.svc.listVersions({ ctx, input: { collectionId: versionsOf } })).versions.find((v) => v.id === retired.id)!.keep).toBe(true);
      expect(await h.svc.keepVersion({ ctx, input: { collectionId: versionsOf, versionId: retired.id, keep: false } })).toEqual({ version: 1, keep: false });
      await expect(h.svc.keepVersion({ ctx, input: { collectionId: versionsOf, versionId: live.id, keep: true } })).rejects.toMatchObject({ code: "conflict", message: "Only a retired version kept for rollback can be kept." });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.params])).toEqual([
        ["version.keep", "success", { version: 1, keep: true }],
        ["version.keep", "success", { version: 1, keep: false }],
        ["version.keep", "failure", null],
      ]);
      const viewerCtx = await actorContext("viewer");
      await expect(h.svc.keepVersion({ ctx: viewerCtx, input: { collectionId: versionsOf, versionId: retired.id, keep: true } })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(viewerCtx.correlationId)).map((r) => [r.action, r.outcome, r.targetId])).toEqual([["version.keep", "denied", retired.id]]);
    });

    it("deleteVersion refuses the live version (audited) and an operator, and the live version still answers", async () => {
      const ctx = await actorContext("admin");
      await expect(h.svc.deleteVersion({ ctx, input: { collectionId: versionsOf, versionId: live.id } })).rejects.toMatchObject({ code: "conflict", message: "The live version cannot be deleted." });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.error])).toEqual([["version.delete", "failure", "The live version cannot be deleted."]]);
      const op = await actorContext("operator");
      await expect(h.svc.deleteVersion({ ctx: op, input: { collectionId: versionsOf, versionId: retired.id } })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(op.correlationId)).map((r) => [r.action, r.outcome, r.targetId])).toEqual([["version.delete", "denied", retired.id]]);
      expect(await (await h.svc.getVectorStore()).listCollections()).toEqual(expect.arrayContaining([live.physicalName, "versions-verbs__v1"]));
      expect((await h.svc.searchCollection({ ctx: viewer, input: { collectionId: versionsOf, query: "pilot boarded the reefer", limit: 3 } })).hits).toHaveLength(3);
    });

    it("deleteVersion drops what is listed for deletion: a collection in the store that no version names, by its name, audited", async () => {
      const store = await h.svc.getVectorStore();
      await store.createCollection("versions-verbs__v9", { dimension: 384, distance: "cosine" });
      expect((await h.svc.listVersions({ ctx: viewer, input: { collectionId: versionsOf } })).orphans).toEqual([
        { versionId: null, physicalName: "versions-verbs__v9", version: null, status: "unknown", reason: "in the vector store, but no version of this collection names it" },
      ]);
      const ctx = await actorContext("admin");
      expect(await h.svc.deleteVersion({ ctx, input: { collectionId: versionsOf, physicalName: "versions-verbs__v9" } })).toEqual({ deleted: "versions-verbs__v9" });
      expect(await store.listCollections()).not.toContain("versions-verbs__v9");
      expect((await h.svc.listVersions({ ctx: viewer, input: { collectionId: versionsOf } })).orphans).toEqual([]);
      await expect(h.svc.deleteVersion({ ctx, input: { collectionId: versionsOf, physicalName: "versions-verbs__v2" } })).rejects.toMatchObject({ code: "not_found" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.params])).toEqual([
        ["version.delete", "success", { collection: "versions-verbs", physicalName: "versions-verbs__v9", was: "unnamed" }],
        ["version.delete", "failure", null],
      ]);
    });
  });
});
