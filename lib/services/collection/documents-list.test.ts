import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { sources } from "@/db/schema/sources";
import { actorContext } from "@/db/test/factories";
import type { ServiceContext } from "../context";
import { EXACT_TOTAL_UP_TO, listDocuments } from "./documents-list";
import { exportDocumentsCsv } from "./export-documents";
import { deadLettersByExtension } from "./read";
import { deadLettersOf } from "./ui-reads";

async function collectionWithSources(names: string[]) {
  const [collection] = await getDb()
    .insert(collections)
    .values({ name: `docs-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
    .returning();
  const rows = await getDb()
    .insert(sources)
    .values(names.map((name) => ({ collectionId: collection!.id, name, kind: "upload" as const, path: `/tmp/${name}` })))
    .returning();
  return { collectionId: collection!.id, sourceIds: rows.map((r) => r.id) };
}

type Doc = { path: string; stage?: string; errorClass?: string | null; errorMessage?: string | null };
async function insertDocuments(collectionId: string, sourceId: string, docs: Doc[]) {
  const sql = getSql();
  for (const d of docs) {
    await sql`insert into documents (collection_id, source_id, path, stage, error_class, error_message, error_stage)
      values (${collectionId}, ${sourceId}, ${d.path}, ${d.stage ?? "complete"}, ${d.errorClass ?? null}, ${d.errorMessage ?? null}, ${d.errorClass ? "parsing" : null})`;
  }
}

const page = (ctx: ServiceContext, input: Record<string, unknown>) => listDocuments({ ctx, input: { limit: 3, ...input } });

describe("listDocuments pages", () => {
  let viewer: ServiceContext;
  beforeAll(async () => {
    viewer = await actorContext("viewer");
  });

  it("goes forward and back by cursor, never losing the same path in two sources, with an exact total", async () => {
    const { collectionId, sourceIds } = await collectionWithSources(["a", "b"]);
    // "c.md" is in both sources: a path-only cursor would skip one of them at the page boundary.
    await insertDocuments(collectionId, sourceIds[0]!, ["a.md", "b.md", "c.md", "d.md", "e.md"].map((path) => ({ path })));
    await insertDocuments(collectionId, sourceIds[1]!, [{ path: "c.md" }, { path: "f.md" }, { path: "g.md", stage: "dead", errorClass: "parse_empty" }]);

    const first = await page(viewer, { collectionId });
    expect(first.total).toEqual({ count: 8, exact: true });
    expect(first.prevBefore).toBeNull();
    const second = await page(viewer, { collectionId, after: first.nextAfter });
    const third = await page(viewer, { collectionId, after: second.nextAfter });
    expect(third.nextAfter).toBeNull();
    const forward = [first, second, third].flatMap((p) => p.documents.map((d) => d.path));
    expect(forward).toEqual(["a.md", "b.md", "c.md", "c.md", "d.md", "e.md", "f.md", "g.md"]);

    const back = await page(viewer, { collectionId, before: third.prevBefore });
    expect(back.documents.map((d) => d.id)).toEqual(second.documents.map((d) => d.id));
    const backAgain = await page(viewer, { collectionId, before: back.prevBefore });
    expect(backAgain.documents.map((d) => d.id)).toEqual(first.documents.map((d) => d.id));
    expect(backAgain.prevBefore).toBeNull();
    expect(backAgain.nextAfter).not.toBeNull();

    // The filter holds on every page and in the total.
    const filtered = await page(viewer, { collectionId, sourceId: sourceIds[0], limit: 2 });
    expect(filtered.total).toEqual({ count: 5, exact: true });
    const filteredNext = await page(viewer, { collectionId, sourceId: sourceIds[0], limit: 2, after: filtered.nextAfter });
    expect(filteredNext.documents.map((d) => d.path)).toEqual(["c.md", "d.md"]);
    expect(filteredNext.documents.every((d) => d.sourceId === sourceIds[0])).toBe(true);

    await expect(page(viewer, { collectionId, after: "not-a-cursor" })).rejects.toMatchObject({ code: "invalid", fieldErrors: { after: [expect.stringContaining("first page")] } });
  });

  it("counts up to the cap exactly, and past it says the total is an estimate", async () => {
    const { collectionId, sourceIds } = await collectionWithSources(["bulk"]);
    await getSql()`insert into documents (collection_id, source_id, path, stage)
      select ${collectionId}, ${sourceIds[0]!}, 'file-' || lpad(i::text, 6, '0') || '.txt', case when i <= 10 then 'dead' else 'complete' end
      from generate_series(1, ${EXACT_TOTAL_UP_TO + 50}) as i`;
    await getSql()`analyze documents`;
    const all = await page(viewer, { collectionId });
    expect(all.total.exact).toBe(false);
    expect(all.total.count).toBeGreaterThan(EXACT_TOTAL_UP_TO);
    const dead = await page(viewer, { collectionId, stage: "dead" });
    expect(dead.total).toEqual({ count: 10, exact: true });
  });
});

describe("dead letters by extension", () => {
  it("counts dead documents per extension and class; folder dots and missing extensions are handled", async () => {
    const viewer = await actorContext("viewer");
    const { collectionId, sourceIds } = await collectionWithSources(["mixed"]);
    await insertDocuments(collectionId, sourceIds[0]!, [
      { path: "v1.2/README", stage: "dead", errorClass: "parse_binary" },
      { path: "a/DIAGRAM.XYZ", stage: "dead", errorClass: "parse_unsupported" },
      { path: "b.xyz", stage: "dead", errorClass: "parse_unsupported" },
      { path: "notes.txt.gz", stage: "dead", errorClass: "parse_corrupt" },
      { path: "fine.xyz", stage: "complete" },
    ]);
    const rows = await deadLettersByExtension({ ctx: viewer, input: { collectionId } });
    expect(rows).toEqual([
      { extension: ".xyz", n: 2, classes: [{ errorClass: "parse_unsupported", n: 2 }] },
      { extension: ".txt.gz", n: 1, classes: [{ errorClass: "parse_corrupt", n: 1 }] },
      { extension: null, n: 1, classes: [{ errorClass: "parse_binary", n: 1 }] },
    ]);
    // The API's summary says of each reason whether a retry can help.
    const kinds = await deadLettersOf({ ctx: viewer, input: { collectionId } });
    expect(kinds.find((k) => k.errorClass === "parse_unsupported")).toMatchObject({ n: 2, retryable: false, label: "Unsupported format, or not text" });
  });
});

describe("exportDocumentsCsv", () => {
  it("streams the filtered documents, quoting CSV and defusing spreadsheet formulas; a viewer may export", async () => {
    const viewer = await actorContext("viewer");
    const { collectionId, sourceIds } = await collectionWithSources(["desk"]);
    await insertDocuments(collectionId, sourceIds[0]!, [
      { path: "=HYPERLINK(evil).md", stage: "dead", errorClass: "parse_unsupported", errorMessage: 'Said "no", twice,\nthen stopped' },
      { path: "+plus.md", stage: "dead", errorClass: "retries_exhausted" },
      { path: "kept-out.md", stage: "complete" },
    ]);
    const { collectionName, stream } = await exportDocumentsCsv({ ctx: viewer, input: { collectionId, stage: "dead" } });
    expect(collectionName).toMatch(/^docs-/);
    const text = await new Response(stream).text();
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("id,path,source,stage,stage_changed_at,chunks,size_bytes,attempts,error_stage,error_class,error_message,retry_can_help,title,duplicate_of");
    expect(text).not.toContain("kept-out.md");
    expect(text).toContain(`,'+plus.md,desk,dead,`);
    expect(text).toContain(`,'=HYPERLINK(evil).md,desk,dead,`);
    expect(text).toContain(`,"Said ""no"", twice,\nthen stopped",no,`);
    expect(text).toMatch(/,retries_exhausted,,yes,/);
    expect(lines.at(-1)).toBe("");
  });

  it("bounded by batches: more rows than one batch all arrive, in path order", async () => {
    const viewer = await actorContext("viewer");
    const { collectionId, sourceIds } = await collectionWithSources(["many"]);
    await getSql()`insert into documents (collection_id, source_id, path) select ${collectionId}, ${sourceIds[0]!}, 'p-' || lpad(i::text, 5, '0') from generate_series(1, 2500) as i`;
    const text = await new Response((await exportDocumentsCsv({ ctx: viewer, input: { collectionId } })).stream).text();
    const paths = text.trim().split("\r\n").slice(1).map((l) => l.split(",")[1]);
    expect(paths).toHaveLength(2500);
    expect(paths[0]).toBe("p-00001");
    expect(paths.at(-1)).toBe("p-02500");
  });

  it("a malformed or unknown collection id is not found", async () => {
    const viewer = await actorContext("viewer");
    await expect(exportDocumentsCsv({ ctx: viewer, input: { collectionId: "nope" } })).rejects.toMatchObject({ code: "not_found" });
    await expect(exportDocumentsCsv({ ctx: viewer, input: { collectionId: randomUUID() } })).rejects.toMatchObject({ code: "not_found" });
  });
});
