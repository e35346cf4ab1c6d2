import { expect, it } from "vitest";
import { makePoints } from "./contract-helpers";
import type { ContractContext } from "./contract";
import type { Distance } from "./types";

type Create = (suffix: string, dimension: number, distance: Distance) => Promise<string>;

/** Alias and drop behaviour of the contract (part of describeVectorStoreContract). */
export function describeAliasContract(ctx: ContractContext, create: Create): void {
  const aliasName = (suffix: string) => ctx.name(`alias_${suffix}`);

  it("switches an alias: reads and writes by alias follow the new target, the old one is untouched", async () => {
    const store = ctx.store();
    const [v1, v2] = [await create("blue_v1", 4, "cosine"), await create("blue_v2", 4, "cosine")];
    const [p1, p2] = [makePoints(5, 4, { normalize: true, seed: 1 }), makePoints(8, 4, { normalize: true, seed: 2 })];
    await store.upsert(v1, p1);
    await store.upsert(v2, p2);
    const alias = aliasName("blue");
    const query = p1[0]!.vector;

    await store.switchAlias(alias, v1);
    expect(await store.resolveAlias(alias)).toBe(v1);
    expect((await store.search(alias, query, { limit: 20 })).map((h) => h.id).sort()).toEqual(p1.map((p) => p.id).sort());

    await store.switchAlias(alias, v2);
    expect(await store.resolveAlias(alias)).toBe(v2);
    expect((await store.search(alias, query, { limit: 20 })).map((h) => h.id).sort()).toEqual(p2.map((p) => p.id).sort());
    expect(await store.count(alias)).toBe(8);
    expect((await store.scroll(alias, { limit: 100 })).points).toHaveLength(8);
    expect(await store.collectionInfo(alias)).toEqual({ dimension: 4, distance: "cosine", count: 8 });
    expect((await store.listAliases()).filter((a) => a.alias === alias)).toEqual([{ alias, collection: v2 }]);

    expect(await store.count(v1)).toBe(5);
    expect((await store.search(v1, query, { limit: 1 }))[0]!.id).toBe(p1[0]!.id);

    const [extra] = makePoints(1, 4, { normalize: true, seed: 3 });
    await store.upsert(alias, [extra!]);
    expect([await store.count(v1), await store.count(v2)]).toEqual([5, 9]);
  });

  it("never leaves a reader without a target while the alias switches back and forth", async () => {
    const store = ctx.store();
    const [v1, v2] = [await create("flip_v1", 4, "dot"), await create("flip_v2", 4, "dot")];
    const [p1, p2] = [makePoints(3, 4, { seed: 4 }), makePoints(3, 4, { seed: 5 })];
    await store.upsert(v1, p1);
    await store.upsert(v2, p2);
    const alias = aliasName("flip");
    await store.switchAlias(alias, v1);
    const sets = [p1, p2].map((ps) => ps.map((p) => p.id).sort().join());

    let switching = true;
    const switcher = (async () => {
      try {
        for (let i = 0; i < 20; i++) await store.switchAlias(alias, i % 2 ? v1 : v2);
      } finally {
        switching = false;
      }
    })();
    const seen: string[] = [];
    while (switching) seen.push((await store.search(alias, p1[0]!.vector, { limit: 10 })).map((h) => h.id).sort().join());
    await switcher;
    expect(new Set(seen).size).toBe(2); // the reader did run across switches, seeing both targets
    expect(seen.filter((s) => !sets.includes(s))).toEqual([]);
  });

  it("resolves, lists and deletes aliases, and refuses an alias to a missing collection", async () => {
    const store = ctx.store();
    const v = await create("named", 4, "cosine");
    const alias = aliasName("named");
    expect(await store.resolveAlias(alias)).toBeNull();
    await expect(store.switchAlias(alias, ctx.name("no_such_collection"))).rejects.toThrow();
    expect(await store.resolveAlias(alias)).toBeNull();

    await store.switchAlias(alias, v);
    await store.switchAlias(alias, v);
    expect((await store.listAliases()).filter((a) => a.alias === alias)).toEqual([{ alias, collection: v }]);
    await store.deleteAlias(alias);
    expect(await store.resolveAlias(alias)).toBeNull();
    expect((await store.listAliases()).map((a) => a.alias)).not.toContain(alias);
    await store.deleteAlias(alias);
    await expect(store.count(alias)).rejects.toThrow();
    expect(await store.collectionInfo(v)).not.toBeNull();
  });

  it("drops a collection idempotently, and an alias to it no longer resolves", async () => {
    const store = ctx.store();
    const v = await create("dropped", 4, "cosine");
    await store.upsert(v, makePoints(3, 4, { normalize: true }));
    const alias = aliasName("dropped");
    await store.switchAlias(alias, v);

    await store.dropCollection(v);
    expect(await store.listCollections()).not.toContain(v);
    expect(await store.collectionInfo(v)).toBeNull();
    expect(await store.resolveAlias(alias)).toBeNull();
    expect((await store.listAliases()).map((a) => a.alias)).not.toContain(alias);
    await expect(store.count(alias)).rejects.toThrow();
    await store.dropCollection(v);

    await store.createCollection(v, { dimension: 4, distance: "cosine" });
    expect(await store.count(v)).toBe(0);
  });
}
