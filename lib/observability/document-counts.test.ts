import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getSql } from "@/db/client";

/** collection_document_counts, kept by triggers on documents, against counting the documents themselves (issue 12: a scrape that does not grow with documents). */
describe("collection document counts", () => {
  const sql = () => getSql();

  async function newCollection(): Promise<{ id: string; sourceId: string }> {
    const [c] = await sql()<{ id: string }[]>`insert into collections (name, embedding_model, dimension, chunk_size, chunk_overlap, vector_backend, status)
      values (${`counts-${randomUUID().slice(0, 8)}`}, 'builtin-hash', 256, 400, 40, 'lancedb', 'ready') returning id`;
    const [s] = await sql()<{ id: string }[]>`insert into sources (collection_id, name, kind, path) values (${c!.id}, ${`s-${randomUUID().slice(0, 8)}`}, 'directory', '/srv/counts') returning id`;
    return { id: c!.id, sourceId: s!.id };
  }
  const kept = async (collectionId: string) => {
    const [row] = await sql()<{ documents: string; dead: string }[]>`select documents, dead from collection_document_counts where collection_id = ${collectionId}`;
    return row ? { documents: Number(row.documents), dead: Number(row.dead) } : undefined;
  };
  const counted = async (collectionId: string) => {
    const [row] = await sql()<{ documents: number; dead: number }[]>`select count(*)::int as documents, (count(*) filter (where stage = 'dead'))::int as dead from documents where collection_id = ${collectionId}`;
    return row!;
  };

  it("follows inserts, upserts, moves into and out of dead, deletes and a source's removal", async () => {
    const a = await newCollection();
    const b = await newCollection();
    expect(await kept(a.id)).toBeUndefined();

    await sql()`insert into documents (collection_id, source_id, path, stage) select ${a.id}, ${a.sourceId}, 'f-' || g, case when g % 10 = 0 then 'dead' else 'uploaded' end from generate_series(1, 100) g`;
    await sql()`insert into documents (collection_id, source_id, path) select ${b.id}, ${b.sourceId}, 'f-' || g from generate_series(1, 7) g`;
    expect(await kept(a.id)).toEqual({ documents: 100, dead: 10 });
    expect(await kept(b.id)).toEqual({ documents: 7, dead: 0 });

    // A re-scan's upsert: 50 rows already there (updated, five of them out of dead), 20 new.
    await sql()`insert into documents (collection_id, source_id, path, stage) select ${a.id}, ${a.sourceId}, 'f-' || g, 'uploaded' from generate_series(51, 120) g
      on conflict (source_id, path) do update set stage = excluded.stage`;
    expect(await kept(a.id)).toEqual(await counted(a.id));
    expect(await kept(a.id)).toEqual({ documents: 120, dead: 5 });

    // Stage changes the pipeline makes all the time leave the counts alone; into and out of dead moves them.
    await sql()`update documents set stage = 'parsing' where collection_id = ${a.id} and stage = 'uploaded'`;
    await sql()`update documents set stage = 'dead' where collection_id = ${a.id} and path in ('f-1', 'f-2', 'f-3')`;
    await sql()`update documents set stage = 'dead' where collection_id = ${a.id} and path = 'f-1'`;
    await sql()`update documents set stage = 'uploaded' where collection_id = ${a.id} and path = 'f-10'`;
    expect(await kept(a.id)).toEqual(await counted(a.id));
    expect(await kept(a.id)).toEqual({ documents: 120, dead: 7 });

    // In one transaction that rolls back, nothing changes.
    await sql()
      .begin(async (tx) => {
        await tx`delete from documents where collection_id = ${a.id} and path like 'f-1%'`;
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    expect(await kept(a.id)).toEqual({ documents: 120, dead: 7 });

    await sql()`delete from documents where collection_id = ${a.id} and (stage = 'dead' or path like 'f-11%')`;
    expect(await kept(a.id)).toEqual(await counted(a.id));
    // A second source in the same collection, removed: its documents go by cascade, and so do their counts.
    const [s2] = await sql()<{ id: string }[]>`insert into sources (collection_id, name, kind, path) values (${a.id}, 'second', 'directory', '/srv/two') returning id`;
    await sql()`insert into documents (collection_id, source_id, path, stage) select ${a.id}, ${s2!.id}, 'g-' || g, 'dead' from generate_series(1, 4) g`;
    const before = await kept(a.id);
    await sql()`delete from sources where id = ${s2!.id}`;
    expect(await kept(a.id)).toEqual(before && { documents: before.documents - 4, dead: before.dead - 4 });
    expect(await kept(a.id)).toEqual(await counted(a.id));
    expect(await kept(b.id)).toEqual({ documents: 7, dead: 0 });
  });

  it("goes with its collection, whose delete still succeeds", async () => {
    const c = await newCollection();
    await sql()`insert into documents (collection_id, source_id, path, stage) select ${c.id}, ${c.sourceId}, 'f-' || g, 'dead' from generate_series(1, 5) g`;
    await sql()`delete from collections where id = ${c.id}`;
    expect(await kept(c.id)).toBeUndefined();
    expect(await counted(c.id)).toEqual({ documents: 0, dead: 0 });
  });
});
