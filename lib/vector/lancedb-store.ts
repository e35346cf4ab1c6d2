import fs from "node:fs/promises";
import path from "node:path";
import { connect, type Connection, type Table } from "@lancedb/lancedb";
import { getLogger } from "@/lib/observability/logger";
import { AliasFile } from "./alias-file";
import { storedForm } from "./cosine";
import { maintainTable, SEARCH_REFINE_FACTOR } from "./lancedb-maintenance";
import { collectionSchema, describeSchema, lanceMetric, parsePayload, pointsToTable, rowVector, scoreFromDistance, type LanceRow } from "./lancedb-arrow";
import { andSql, filterToSql, idsToSql, sqlString } from "./lancedb-sql";
import { KeyedMutex } from "./mutex";
import type { Distance, PointFilter, ScoredPoint, StoreHealth, VectorPoint, VectorStore } from "./types";
import { assertDimension, assertDistance, assertLimit, assertName, normalizePointId, preparePoints, requireNonEmptyFilter, toFloat32, VectorStoreError } from "./validate";

export type LanceDbStoreOptions = {
  /** Folder holding one `<collection>.lance` folder per collection and `aliases.json`. */
  dir: string;
  /** Maintenance builds an IVF_RQ vector index from this many points; below it search is exact. */
  indexThreshold?: number;
  /** Writes to one collection between automatic maintenance runs (0: only on optimize()). */
  compactEvery?: number;
};

type Target = { table: Table; physical: string; dimension: number; distance: Distance };

const WRITE_CHUNK = 10_000;
const DELETE_CHUNK = 1_000;

/** The embedded default: LanceDB tables on local disk, aliases in a JSON file beside them. */
export async function createLanceDbStore(opts: LanceDbStoreOptions): Promise<VectorStore> {
  await fs.mkdir(opts.dir, { recursive: true });
  // Interval 0: every read checks for newer versions, so writes from another process are seen at once.
  const db = await connect(opts.dir, { readConsistencyInterval: 0 });
  return new LanceDbStore(db, opts.dir, opts.indexThreshold ?? 50_000, opts.compactEvery ?? 50);
}

class LanceDbStore implements VectorStore {
  readonly backend = "lancedb" as const;
  private readonly aliases: AliasFile;
  private readonly writes = new KeyedMutex();
  private readonly writesSinceCompaction = new Map<string, number>();
  private readonly log = getLogger().child({ component: "vector-store", backend: "lancedb" });

  constructor(
    private readonly db: Connection,
    private readonly dir: string,
    private readonly indexThreshold: number,
    private readonly compactEvery: number,
  ) {
    this.aliases = new AliasFile(path.join(dir, "aliases.json"));
  }

  private async open(physical: string): Promise<Table | null> {
    try {
      return await this.db.openTable(physical);
    } catch (e) {
      if (e instanceof Error && /was not found/i.test(e.message)) return null;
      throw e;
    }
  }

  /** Aliases are resolved on every call, so a reader sees the old or the new target of a switch. */
  private async resolve(name: string): Promise<string> {
    assertName(name);
    return (await this.aliases.read())[name] ?? name;
  }

  private async withPhysical<T>(name: string, physical: string, work: (t: Target) => Promise<T>): Promise<T> {
    const table = await this.open(physical);
    if (!table) throw new VectorStoreError(`Collection ${name} does not exist`);
    try {
      return await work({ table, physical, ...describeSchema(await table.schema(), physical) });
    } finally {
      table.close();
    }
  }

  private async withTarget<T>(name: string, work: (t: Target) => Promise<T>): Promise<T> {
    return this.withPhysical(name, await this.resolve(name), work);
  }

  /**
   * Writes to one table queue in this process (the table is opened inside the lock, so a queued write
   * cannot land in a table dropped meanwhile); across processes Lance's commit conflicts retry them.
   */
  private async write(name: string, work: (t: Target) => Promise<void>): Promise<void> {
    const physical = await this.resolve(name);
    await this.writes.run(physical, () =>
      this.withPhysical(name, physical, async (t) => {
        await work(t);
        const n = (this.writesSinceCompaction.get(physical) ?? 0) + 1;
        this.writesSinceCompaction.set(physical, n);
        if (this.compactEvery > 0 && n >= this.compactEvery) await this.maintain(t);
      }),
    );
  }

  /** Caller holds the table's write lock. */
  private async maintain({ table, physical, distance }: Target): Promise<void> {
    this.writesSinceCompaction.set(physical, 0);
    await maintainTable(table, { collection: physical, distance, indexThreshold: this.indexThreshold, log: this.log });
  }

  async createCollection(name: string, opts: { dimension: number; distance: Distance }): Promise<void> {
    assertName(name);
    assertDimension(opts.dimension);
    assertDistance(opts.distance);
    if ((await this.aliases.read())[name]) throw new VectorStoreError(`${name} is an alias; a collection cannot have the same name`);
    await this.writes.run(name, async () => {
      const check = async (table: Table) => {
        const have = describeSchema(await table.schema(), name);
        table.close();
        if (have.dimension !== opts.dimension || have.distance !== opts.distance) {
          throw new VectorStoreError(`Collection ${name} exists with dimension ${have.dimension} and distance ${have.distance}, not ${opts.dimension}/${opts.distance}`);
        }
      };
      const existing = await this.open(name);
      if (existing) return check(existing);
      try {
        (await this.db.createEmptyTable(name, collectionSchema(opts.dimension, opts.distance))).close();
        this.log.info({ collection: name, ...opts }, "created collection");
      } catch (e) {
        const raced = e instanceof Error && /already exists/i.test(e.message) ? await this.open(name) : null;
        if (!raced) throw e;
        await check(raced); // another process created it first
      }
    });
  }

  async dropCollection(name: string): Promise<void> {
    assertName(name);
    // Aliases go first: a reader then finds no alias rather than an alias to a missing table.
    await this.aliases.update((aliases) => {
      if (aliases[name]) throw new VectorStoreError(`${name} is an alias; delete the alias or drop the collection it points at`);
      for (const [alias, target] of Object.entries(aliases)) if (target === name) delete aliases[alias];
    });
    await this.writes.run(name, async () => {
      try {
        await this.db.dropTable(name);
        this.log.info({ collection: name }, "dropped collection");
      } catch (e) {
        if (!(e instanceof Error && /was not found/i.test(e.message))) throw e;
      }
      this.writesSinceCompaction.delete(name);
    });
  }

  async listCollections(): Promise<string[]> {
    const names: string[] = [];
    for (;;) {
      const page = await this.db.tableNames({ startAfter: names.at(-1), limit: 1000 });
      names.push(...page);
      if (page.length < 1000) return names;
    }
  }

  async collectionInfo(name: string): Promise<{ dimension: number; distance: Distance; count: number } | null> {
    const physical = await this.resolve(name);
    const table = await this.open(physical);
    if (!table) return null;
    try {
      return { ...describeSchema(await table.schema(), physical), count: await table.countRows() };
    } finally {
      table.close();
    }
  }

  async upsert(name: string, points: VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.write(name, async ({ table, dimension, distance }) => {
      const prepared = storedForm(preparePoints(points, dimension), distance);
      for (let i = 0; i < prepared.length; i += WRITE_CHUNK) {
        const data = pointsToTable(prepared.slice(i, i + WRITE_CHUNK), dimension);
        await table.mergeInsert("id").whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(data);
      }
    });
  }

  async insert(name: string, points: VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.write(name, async ({ table, dimension, distance }) => {
      const prepared = storedForm(preparePoints(points, dimension), distance);
      for (let i = 0; i < prepared.length; i += WRITE_CHUNK) await table.add(pointsToTable(prepared.slice(i, i + WRITE_CHUNK), dimension));
    });
  }

  async deleteByIds(name: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const normalized = ids.map(normalizePointId);
    await this.write(name, async ({ table }) => {
      for (let i = 0; i < normalized.length; i += DELETE_CHUNK) await table.delete(idsToSql(normalized.slice(i, i + DELETE_CHUNK)));
    });
  }

  async deleteByFilter(name: string, filter: PointFilter): Promise<void> {
    const where = filterToSql(requireNonEmptyFilter(filter));
    if (where === null) return;
    await this.write(name, async ({ table }) => {
      await table.delete(where);
    });
  }

  async count(name: string, filter?: PointFilter): Promise<number> {
    const where = filterToSql(filter);
    return this.withTarget(name, async ({ table }) => (where === null ? 0 : table.countRows(where || undefined)));
  }

  async scroll(
    name: string,
    opts: { limit: number; cursor?: string | null; withVectors?: boolean; filter?: PointFilter },
  ): Promise<{ points: VectorPoint[]; nextCursor: string | null }> {
    const limit = assertLimit(opts.limit);
    const filterSql = filterToSql(opts.filter);
    const after = opts.cursor ? `id > ${sqlString(normalizePointId(opts.cursor))}` : null;
    return this.withTarget(name, async ({ table }) => {
      if (filterSql === null) return { points: [], nextCursor: null };
      const where = andSql(filterSql, after);
      let query = table.query();
      if (where) query = query.where(where);
      // One row past the page tells whether another page exists, so the last page says so.
      const rows = (await query
        .orderBy({ columnName: "id", ascending: true, nullsFirst: false })
        .limit(limit + 1)
        .select(opts.withVectors ? ["id", "payload", "vector"] : ["id", "payload"])
        .toArray()) as LanceRow[];
      const page = rows.slice(0, limit);
      return {
        points: page.map((r) => ({ id: r.id, vector: opts.withVectors ? rowVector(r) : new Float32Array(0), payload: parsePayload(r.payload) })),
        nextCursor: rows.length > limit ? page.at(-1)!.id : null,
      };
    });
  }

  async search(name: string, vector: Float32Array | number[], opts: { limit: number; filter?: PointFilter }): Promise<ScoredPoint[]> {
    const limit = assertLimit(opts.limit);
    const where = filterToSql(opts.filter);
    return this.withTarget(name, async ({ table, dimension, distance }) => {
      if (where === null) return [];
      let query = table.vectorSearch(toFloat32(vector, dimension)).distanceType(lanceMetric(distance)).limit(limit).refineFactor(SEARCH_REFINE_FACTOR);
      if (where) query = query.where(where);
      // Naming _distance in the projection keeps Lance from warning that it adds it implicitly.
      const rows = (await query.select(["id", "payload", "_distance"]).toArray()) as LanceRow[];
      return rows.map((r) => ({ id: r.id, score: scoreFromDistance(distance, r._distance ?? Number.NaN), payload: parsePayload(r.payload) }));
    });
  }

  async switchAlias(alias: string, collection: string): Promise<void> {
    assertName(alias, "alias");
    assertName(collection);
    await this.aliases.update(async (aliases) => {
      const table = await this.open(collection);
      if (!table) throw new VectorStoreError(`Cannot point alias ${alias} at ${collection}: no such collection`);
      table.close();
      const clash = await this.open(alias);
      if (clash) {
        clash.close();
        throw new VectorStoreError(`${alias} is a collection; an alias cannot have the same name`);
      }
      aliases[alias] = collection;
    });
    this.log.info({ alias, collection }, "switched alias");
  }

  async deleteAlias(alias: string): Promise<void> {
    assertName(alias, "alias");
    await this.aliases.update((aliases) => {
      delete aliases[alias];
    });
  }

  async resolveAlias(alias: string): Promise<string | null> {
    assertName(alias, "alias");
    return (await this.aliases.read())[alias] ?? null;
  }

  async listAliases(): Promise<Array<{ alias: string; collection: string }>> {
    return Object.entries(await this.aliases.read()).map(([alias, collection]) => ({ alias, collection }));
  }

  async optimize(name: string): Promise<void> {
    const physical = await this.resolve(name);
    await this.writes.run(physical, () => this.withPhysical(name, physical, (t) => this.maintain(t)));
  }

  async health(): Promise<StoreHealth> {
    const started = performance.now();
    try {
      await fs.access(this.dir, fs.constants.W_OK);
      await this.db.tableNames({ limit: 1 });
      return { ok: true, latencyMs: performance.now() - started };
    } catch (e) {
      return { ok: false, latencyMs: performance.now() - started, message: e instanceof Error ? e.message : String(e) };
    }
  }

  async close(): Promise<void> {
    if (this.db.isOpen()) this.db.close();
  }
}
