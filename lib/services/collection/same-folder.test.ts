import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSql } from "@/db/client";
import { actorContext } from "@/db/test/factories";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "../context";

/** A folder added as a second source must not index files the collection already indexes. */
describe("appendSource refuses a folder that overlaps a source of the collection", () => {
  let h: PipelineHarness;
  let operator: ServiceContext;
  let collectionId: string;
  let docs: string;

  beforeAll(async () => {
    h = await startPipelineHarness();
    operator = await actorContext("operator");
    docs = path.join(h.root, "docs");
    await fs.mkdir(path.join(docs, "guides"), { recursive: true });
    await fs.mkdir(path.join(h.root, "docs-archive"), { recursive: true });
    await fs.writeFile(path.join(docs, "guides", "berthing.md"), "# Berthing\n\nHow a ship is moored at the quay.\n");
    await fs.symlink(docs, path.join(h.root, "docs-link"));
    const created = await h.svc.createCollection({ ctx: operator, input: { name: "harbour", source: { kind: "directory", name: "docs", path: docs } } });
    collectionId = created.collectionId;
    expect((await h.finished(operator, created.operationId)).status).toBe("succeeded");
  });
  afterAll(() => h?.close());

  const add = (name: string, folder: string) => h.svc.appendSource({ ctx: operator, input: { collectionId, source: { kind: "directory", name, path: folder } } });
  const sourceNames = async () => (await getSql()<{ name: string }[]>`select name from sources where collection_id = ${collectionId} order by name`).map((r) => r.name);

  it("refuses the same folder, by any path to it, on the folder field, and adds nothing", async () => {
    for (const folder of [docs, `${docs}/`, path.join(h.root, "docs", "guides", ".."), path.join(h.root, "docs-link")]) {
      await expect(add("again", folder)).rejects.toMatchObject({ code: "conflict", fieldErrors: { "source.path": ["This folder is already a source of this collection (“docs”)."] } });
    }
    expect(await sourceNames()).toEqual(["docs"]);
  });

  it("refuses a folder inside a source, and one that contains a source", async () => {
    await expect(add("guides", path.join(docs, "guides"))).rejects.toMatchObject({ fieldErrors: { "source.path": ["This folder is inside “docs”, already a source of this collection."] } });
    await expect(add("everything", h.root)).rejects.toMatchObject({ fieldErrors: { "source.path": ["This folder contains “docs”, already a source of this collection."] } });
    expect(await sourceNames()).toEqual(["docs"]);
  });

  it("accepts a sibling whose name merely starts the same", async () => {
    const { operationId } = await add("archive", path.join(h.root, "docs-archive"));
    expect((await h.finished(operator, operationId)).status).toBe("succeeded");
    expect(await sourceNames()).toEqual(["archive", "docs"]);
  });
});
