import { QdrantClient, type Schemas } from "@qdrant/js-client-rest";
import { getLogger } from "@/lib/observability/logger";
import { toQdrantFilter } from "./qdrant-filter";
import type { Distance, Payload, PointFilter, ScoredPoint, StoreHealth, VectorPoint, VectorStore } from "./types";
import { assertDimension, assertDistance, assertLimit, assertName, normalizePointId, preparePoints, requireNonEmptyFilter, toFloat32, VectorStoreError } from "./validate";

export type QdrantStoreOptions = { url: string; apiKey?: string; timeoutMs?: number };

const TO_QDRANT: Record<Distance, Schemas["Distance"]> = { cosine: "Cosine", dot: "Dot", euclid: "Euclid" };
const FROM_QDRANT: Partial<Record<Schemas["Distance"], Distance>> = { Cosine: "cosine", Dot: "dot", Euclid: "euclid" };
const UPSERT_CHUNK = 500;
// Created with every collection: the app deletes and counts by document and by source.
const INDEXED_KEYS = ["document_id", "source_id"];

/** The openapi fetcher's ApiError carries the HTTP status and Qdrant's `{ status: { error } }` body. */
function httpStatus(e: unknown): number | undefined {
  const status = typeof e === "object" && e !== null ? (e as { status?: unknown }).status : undefined;
  return typeof status === "number" ? status : undefined;
}

function qdrantError(e: unknown, what: string): VectorStoreError {
  const body = typeof e === "object" && e !== null ? (e as { data?: { status?: { error?: unknown } } }).data : undefined;
  const detail = typeof body?.status?.error === "string" ? body.status.error : e instanceof Error ? e.message : String(e);
  return new VectorStoreError(`Qdrant ${what} failed: ${detail}`, { cause: e });
}

/** Production vectors: a Qdrant server. Point ids must be UUIDs (the app's are v5), as Qdrant requires. */
export function createQdrantStore(opts: QdrantStoreOptions): VectorStore {
  // checkCompatibility off: it would console.warn from the constructor; health() reports reachability.
  const client = new QdrantClient({ url: opts.url, apiKey: opts.apiKey, timeout: opts.timeoutMs ?? 60_000, checkCompatibility: false });
  return new QdrantStore(client);
}

class QdrantStore implements VectorStore {
  readonly backend = "qdrant" as const;
  private readonly log = getLogger().child({ component: "vector-store", backend: "qdrant" });

  constructor(private readonly client: QdrantClient) {}

  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw e instanceof VectorStoreError ? e : qdrantError(e, what);
    }
  }

  /** Dimension and distance of a collection or alias (Qdrant resolves aliases); null if neither exists. */
  private async describe(name: string): Promise<{ dimension: number; distance: Distance; count: number } | null> {
    let info: Schemas["CollectionInfo"];
    try {
      info = await this.client.getCollection(assertName(name));
    } catch (e) {
      if (httpStatus(e) === 404) return null;
      throw qdrantError(e, `reading collection ${name}`);
    }
    const vectors = info.config.params.vectors as Schemas["VectorParams"] | undefined;
    const distance = vectors?.distance ? FROM_QDRANT[vectors.distance] : undefined;
    if (!vectors || typeof vectors.size !== "number" || !distance) {
      throw new VectorStoreError(`Qdrant collection ${name} is not a Stevedore collection (named vectors or unsupported distance)`);
    }
    return { dimension: vectors.size, distance, count: info.points_count ?? 0 };
  }

  private async require(name: string): Promise<{ dimension: number; distance: Distance }> {
    const info = await this.describe(name);
    if (!info) throw new VectorStoreError(`Collection ${name} does not exist`);
    return info;
  }

  private async aliasMap(): Promise<Map<string, string>> {
    const { aliases } = await this.call("listing aliases", () => this.client.getAliases());
    return new Map(aliases.map((a) => [a.alias_name, a.collection_name]));
  }

  async createCollection(name: string, opts: { dimension: number; distance: Distance }): Promise<void> {
    assertName(name);
    assertDimension(opts.dimension);
    assertDistance(opts.distance);
    if ((await this.aliasMap()).has(name)) throw new VectorStoreError(`${name} is an alias; a collection cannot have the same name`);
    const check = async () => {
      const have = await this.require(name);
      if (have.dimension !== opts.dimension || have.distance !== opts.distance) {
        throw new VectorStoreError(`Collection ${name} exists with dimension ${have.dimension} and distance ${have.distance}, not ${opts.dimension}/${opts.distance}`);
      }
    };
    const exists = async () => (await this.call("checking a collection", () => this.client.collectionExists(name))).exists;
    if (!(await exists())) {
      try {
        await this.client.createCollection(name, { vectors: { size: opts.dimension, distance: TO_QDRANT[opts.distance] } });
        this.log.info({ collection: name, ...opts }, "created collection");
      } catch (e) {
        if (!(await exists())) throw qdrantError(e, `creating collection ${name}`); // else: another caller created it first
      }
    }
    await check();
    const indexed = (await this.call(`reading collection ${name}`, () => this.client.getCollection(name))).payload_schema;
    for (const field_name of INDEXED_KEYS.filter((key) => !indexed[key])) {
      await this.call(`indexing ${field_name}`, () => this.client.createPayloadIndex(name, { field_name, field_schema: "keyword", wait: true }));
    }
  }

  async dropCollection(name: string): Promise<void> {
    assertName(name);
    const aliases = await this.aliasMap();
    if (aliases.has(name)) throw new VectorStoreError(`${name} is an alias; delete the alias or drop the collection it points at`);
    // Qdrant drops a collection's aliases with it; removing them first keeps readers off a vanishing target.
    const actions = [...aliases].filter(([, target]) => target === name).map(([alias_name]) => ({ delete_alias: { alias_name } }));
    if (actions.length) await this.call("deleting aliases", () => this.client.updateCollectionAliases({ actions }));
    try {
      if (await this.client.deleteCollection(name)) this.log.info({ collection: name }, "dropped collection");
    } catch (e) {
      if (httpStatus(e) !== 404) throw qdrantError(e, `dropping ${name}`);
    }
  }

  async listCollections(): Promise<string[]> {
    const { collections } = await this.call("listing collections", () => this.client.getCollections());
    return collections.map((c) => c.name);
  }

  async collectionInfo(name: string): Promise<{ dimension: number; distance: Distance; count: number } | null> {
    const info = await this.describe(name);
    return info && { ...info, count: await this.count(name) };
  }

  async upsert(name: string, points: VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    const prepared = preparePoints(points, (await this.require(name)).dimension);
    for (let i = 0; i < prepared.length; i += UPSERT_CHUNK) {
      const chunk = prepared.slice(i, i + UPSERT_CHUNK).map((p) => ({ id: p.id, vector: Array.from(p.vector), payload: p.payload }));
      await this.call(`upserting into ${name}`, () => this.client.upsert(name, { wait: true, points: chunk }));
    }
  }

  /** Qdrant's upsert costs the same as an insert: one path for both. */
  insert(name: string, points: VectorPoint[]): Promise<void> {
    return this.upsert(name, points);
  }

  async deleteByIds(name: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const points = ids.map(normalizePointId);
    await this.call(`deleting from ${name}`, () => this.client.delete(assertName(name), { wait: true, points }));
  }

  async deleteByFilter(name: string, filter: PointFilter): Promise<void> {
    const qf = toQdrantFilter(requireNonEmptyFilter(filter));
    if (!qf) return;
    await this.call(`deleting from ${name}`, () => this.client.delete(assertName(name), { wait: true, filter: qf }));
  }

  async count(name: string, filter?: PointFilter): Promise<number> {
    const qf = toQdrantFilter(filter);
    if (qf === null) return 0;
    return (await this.call(`counting ${name}`, () => this.client.count(assertName(name), { exact: true, filter: qf }))).count;
  }

  async scroll(
    name: string,
    opts: { limit: number; cursor?: string | null; withVectors?: boolean; filter?: PointFilter },
  ): Promise<{ points: VectorPoint[]; nextCursor: string | null }> {
    const qf = toQdrantFilter(opts.filter);
    const offset = opts.cursor ? normalizePointId(opts.cursor) : undefined;
    const request = { limit: assertLimit(opts.limit), offset, filter: qf ?? undefined, with_payload: true, with_vector: !!opts.withVectors };
    if (qf === null) return { points: [], nextCursor: null };
    const page = await this.call(`scrolling ${name}`, () => this.client.scroll(assertName(name), request));
    return {
      points: page.points.map((p) => ({
        id: String(p.id),
        vector: opts.withVectors ? Float32Array.from(p.vector as number[]) : new Float32Array(0),
        payload: (p.payload ?? {}) as Payload,
      })),
      nextCursor: page.next_page_offset == null ? null : String(page.next_page_offset),
    };
  }

  async search(name: string, vector: Float32Array | number[], opts: { limit: number; filter?: PointFilter }): Promise<ScoredPoint[]> {
    const limit = assertLimit(opts.limit);
    const qf = toQdrantFilter(opts.filter);
    if (qf === null) return [];
    const { dimension, distance } = await this.require(name);
    const query = Array.from(toFloat32(vector, dimension));
    const { points } = await this.call(`searching ${name}`, () => this.client.query(name, { query, limit, filter: qf, with_payload: true }));
    // Qdrant scores Euclid as the distance itself (lower is closer); negate it so higher is always closer.
    return points.map((p) => ({ id: String(p.id), score: distance === "euclid" ? 0 - Math.abs(p.score) : p.score, payload: (p.payload ?? {}) as Payload }));
  }

  /** One request with delete + create: Qdrant applies both under one lock, so readers see old or new. */
  async switchAlias(alias: string, collection: string): Promise<void> {
    assertName(alias, "alias");
    assertName(collection);
    const collections = await this.listCollections();
    // Checked up front: Qdrant applies actions one by one, so a failing create would leave the delete done.
    if (!collections.includes(collection)) throw new VectorStoreError(`Cannot point alias ${alias} at ${collection}: no such collection`);
    if (collections.includes(alias)) throw new VectorStoreError(`${alias} is a collection; an alias cannot have the same name`);
    const actions = [{ delete_alias: { alias_name: alias } }, { create_alias: { alias_name: alias, collection_name: collection } }];
    await this.call(`switching alias ${alias}`, () => this.client.updateCollectionAliases({ actions }));
    this.log.info({ alias, collection }, "switched alias");
  }

  async deleteAlias(alias: string): Promise<void> {
    assertName(alias, "alias");
    if (!(await this.aliasMap()).has(alias)) return;
    await this.call(`deleting alias ${alias}`, () => this.client.updateCollectionAliases({ actions: [{ delete_alias: { alias_name: alias } }] }));
  }

  async resolveAlias(alias: string): Promise<string | null> {
    assertName(alias, "alias");
    return (await this.aliasMap()).get(alias) ?? null;
  }

  async listAliases(): Promise<Array<{ alias: string; collection: string }>> {
    return [...(await this.aliasMap())].map(([alias, collection]) => ({ alias, collection }));
  }

  /** Qdrant compacts and indexes in its own optimizers. */
  async optimize(name: string): Promise<void> {
    assertName(name);
  }

  async health(): Promise<StoreHealth> {
    const started = performance.now();
    try {
      await this.client.getCollections();
      return { ok: true, latencyMs: performance.now() - started };
    } catch (e) {
      return { ok: false, latencyMs: performance.now() - started, message: qdrantError(e, "health check").message };
    }
  }

  async close(): Promise<void> {}
}
