import { expect, it } from "vitest";
import { makePoints, scrollAll } from "./contract-helpers";
import type { ContractContext } from "./contract";
import type { Distance } from "./types";

type Create = (suffix: string, dimension: number, distance: Distance) => Promise<string>;

/** Where LanceDB and Qdrant used to differ, stated once for both (part of describeVectorStoreContract). */
export function describeParityContract(ctx: ContractContext, create: Create): void {
  it("throws on count, scroll and search of a missing collection, even with a filter that matches nothing", async () => {
    const store = ctx.store();
    const missing = `${ctx.name("parity_missing")}`;
    for (const filter of [undefined, { document_id: [] as string[] }]) {
      await expect(store.count(missing, filter)).rejects.toThrow(/does not exist/);
      await expect(store.scroll(missing, { limit: 5, filter })).rejects.toThrow(/does not exist/);
      await expect(store.search(missing, new Float32Array(4), { limit: 5, filter })).rejects.toThrow(/does not exist/);
    }
  });

  it("keeps cosine vectors divided by their length (scroll returns that), and dot / euclid vectors as written", async () => {
    const store = ctx.store();
    const written = Float32Array.from([3, 0, 4, 0]);
    const ids = ["6f1d1c1e-0000-4000-8000-00000000c051", "6f1d1c1e-0000-4000-8000-00000000d070"];
    const cosine = await create("parity_cosine", 4, "cosine");
    const dot = await create("parity_dot", 4, "dot");
    await store.upsert(cosine, [{ id: ids[0]!, vector: written, payload: {} }]);
    await store.insert(dot, [{ id: ids[1]!, vector: written, payload: {} }]);
    const [stored] = (await store.scroll(cosine, { limit: 1, withVectors: true })).points;
    Array.from(stored!.vector).forEach((x, i) => expect(x).toBeCloseTo([0.6, 0, 0.8, 0][i]!, 6));
    expect((await store.search(cosine, written, { limit: 1 }))[0]!.score).toBeCloseTo(1, 5);
    expect(Array.from((await store.scroll(dot, { limit: 1, withVectors: true })).points[0]!.vector)).toEqual([3, 0, 4, 0]);
  });

  it("pages until nextCursor is null, however many points a page holds (Qdrant bounds pages by bytes)", async () => {
    const store = ctx.store();
    const n = await create("parity_wide_scroll", 3072, "dot");
    const points = makePoints(300, 3072, { seed: 8 });
    await store.upsert(n, points);
    const all = await scrollAll(store, n, 10_000, true);
    expect(all.points.map((p) => p.id).sort()).toEqual(points.map((p) => p.id).sort());
    if (store.backend === "qdrant") expect(all.pages).toBeGreaterThan(1); // 300 × 3072 values is over one page's bytes
  }, 120_000);

  it("leaves an alias where it was when a switch to a missing collection fails", async () => {
    const store = ctx.store();
    const v = await create("parity_alias_v1", 4, "cosine");
    await store.upsert(v, makePoints(2, 4, { normalize: true }));
    const alias = ctx.name("alias_parity");
    await store.switchAlias(alias, v);
    await expect(store.switchAlias(alias, ctx.name("parity_never"))).rejects.toThrow(/no such collection/);
    expect(await store.resolveAlias(alias)).toBe(v);
    expect(await store.count(alias)).toBe(2);
  });
}
