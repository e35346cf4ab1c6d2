import { setTimeout as sleep } from "node:timers/promises";
import { QdrantClient, type Schemas } from "@qdrant/js-client-rest";
import { getLogger } from "@/lib/observability/logger";
import { retryDelayMs } from "@/lib/retry";
import { classifyQdrantError, QdrantError } from "./qdrant-errors";
import { toQdrantFilter } from "./qdrant-filter";
import { qdrantConnection } from "./qdrant-url";
import { batchByBytes, createCollectionBody, scrollPageLimit, toWireVector } from "./qdrant-wire";
import type { CollectionLayout, Distance, Payload, PointFilter, ScoredPoint, StoreHealth, VectorPoint, VectorStore } from "./types";
import { assertDimension, assertDistance, assertLimit, assertName, normalizePointId, preparePoints, requireNonEmptyFilter, toFloat32, VectorStoreError } from "./validate";

export type QdrantStoreOptions = {
  url: string;
  apiKey?: string;
  timeoutMs?: number;
  /** Retries of a transient failure (429, 408, 5xx, timeout, connection refused or reset); 0 turns them off. */
  retries?: number;
  retryBaseMs?: number;
};

const TO_QDRANT: Record<Distance, Schemas["Distance"]> = { cosine: "Cosine", dot: "Dot", euclid: "Euclid" };
const FROM_QDRANT: Partial<Record<Schemas["Distance"], Distance>> = { Cosine: "cosine", Dot: "dot", Euclid: "euclid" };
const DELETE_IDS_CHUNK = 10_000;
// A Retry-After longer than this goes back to the caller (a durable step retries without holding a request).
const RETRY_CAP_MS = 30_000;
// Created with every collection: the app deletes and counts by document and by source.
const INDEXED_KEYS = ["document_id", "source_id"];

type Described = { dimension: number; distance: Distance };

/** Production vectors: a Qdrant server. Point ids must be UUIDs (the app's are v5), as Qdrant requires. */
export function createQdrantStore(opts: QdrantStoreOptions): VectorStore {
  const connection = qdrantConnection(opts.url);
  // The key goes in as a header: given as apiKey, the client would console.warn on http and force https.
  // checkCompatibility off: it would console.warn from the constructor; health() reports reachability.
  const client = new QdrantClient({
    ...connection,
    headers: opts.apiKey ? { "api-key": opts.apiKey } : undefined,
    timeout: opts.timeoutMs ?? 60_000,
    checkCompatibility: false,
  });
  const store = new QdrantStore(client, opts.retries ?? 4, opts.retryBaseMs ?? 250);
  if (opts.apiKey && !connection.https) store.log.warn({ host: connection.host }, "QDRANT_API_KEY is sent over plain http");
  return store;
}

class QdrantStore implements VectorStore {
  readonly backend = "qdrant" as const;
  readonly log = getLogger().child({ component: "vector-store", backend: "qdrant" });
  /**
   * Dimension and distance of physical collections seen, which never change while one exists: a
   * request by collection name needs no read first. Aliases are resolved per call, and the request
   * goes to the physical collection resolved, so a switch cannot pair one's dimension with another's points.
   */
  private readonly described = new Map<string, Described>();

  constructor(
    private readonly client: QdrantClient,
    private readonly retries: number,
    private readonly retryBaseMs: number,
  ) {}

  /** One request, retried while its failure is transient; `physical` is forgotten when Qdrant says it is gone. */
  private async call<T>(what: string, work: () => Promise<T>, physical?: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (e) {
        const err = classifyQdrantError(e, what);
        if (err.missingCollection && physical) this.described.delete(physical);
        const delay = err.retryable && attempt < this.retries ? retryDelayMs(attempt, this.retryBaseMs, RETRY_CAP_MS, err.retryAfterMs) : undefined;
        if (delay === undefined || delay > RETRY_CAP_MS) throw err;
        this.log.warn({ what, status: err.status, attempt: attempt + 1, delayMs: Math.round(delay), err: err.message }, "Qdrant request failed; retrying");
        await sleep(delay);
      }
    }
  }

  /** Dimension and distance of a collection or alias (Qdrant resolves aliases); null if neither exists. */
  private async describe(name: string): Promise<(Described & { count: number }) | null> {
    let info: Schemas["CollectionInfo"];
    try {
      info = await this.call(`reading collection ${name}`, () => this.client.getCollection(assertName(name)));
    } catch (e) {
      if (e instanceof QdrantError && e.missingCollection) return null;
      throw e;
    }
    const vectors = info.config.params.vectors as Schemas["VectorParams"] | undefined;
    const distance = vectors?.distance ? FROM_QDRANT[vectors.distance] : undefined;
    if (!vectors || typeof vectors.size !== "number" || !distance) {
      throw new VectorStoreError(`Qdrant collection ${name} is not a Stevedore collection (named vectors or unsupported distance)`);
    }
    return { dimension: vectors.size, distance, count: info.points_count ?? 0 };
  }

  /** The physical collection behind a name, with its dimension and distance; throws if there is none. */
  private async target(name: string): Promise<Described & { physical: string }> {
    assertName(name);
    const known = this.described.get(name);
    if (known) return { physical: name, ...known };
    const aliases = await this.aliasMap();
    const physical = aliases.get(name) ?? name;
    let info = this.described.get(physical);
    if (!info) {
      const got = await this.describe(physical);
      if (!got) throw new QdrantError(`Collection ${name} does not exist`, { status: 404, retryable: false, missingCollection: true });
      info = { dimension: got.dimension, distance: got.distance };
      this.described.set(physical, info);
    }
    return { physical, ...info };
  }

  private async aliasMap(): Promise<Map<string, string>> {
    const { aliases } = await this.call("listing aliases", () => this.client.getAliases());
    return new Map(aliases.map((a) => [a.alias_name, a.collection_name]));
  }

  async createCollection(name: string, opts: { dimension: number; distance: Distance; layout?: CollectionLayout }): Promise<void> {
    assertName(name);
    assertDimension(opts.dimension);
    assertDistance(opts.distance);
    if ((await this.aliasMap()).has(name)) throw new VectorStoreError(`${name} is an alias; a collection cannot have the same name`);
    let have = await this.describe(name);
    if (!have) {
      const body = createCollectionBody(opts.dimension, TO_QDRANT[opts.distance], opts.layout);
      try {
        await this.call(`creating collection ${name}`, () => this.client.createCollection(name, body));
        this.log.info({ collection: name, dimension: opts.dimension, distance: opts.distance, layout: opts.layout }, "created collection");
      } catch (e) {
        if (!(e instanceof QdrantError && e.status === 409)) throw e; // 409: another caller created it first
      }
      have = await this.describe(name);
      if (!have) throw new VectorStoreError(`Collection ${name} was created but cannot be read back`);
    }
    if (have.dimension !== opts.dimension || have.distance !== opts.distance) {
      throw new VectorStoreError(`Collection ${name} exists with dimension ${have.dimension} and distance ${have.distance}, not ${opts.dimension}/${opts.distance}`);
    }
    this.described.set(name, { dimension: have.dimension, distance: have.distance });
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
    this.described.delete(name);
    try {
      if (await this.call(`dropping ${name}`, () => this.client.deleteCollection(name))) this.log.info({ collection: name }, "dropped collection");
    } catch (e) {
      if (!(e instanceof QdrantError && e.missingCollection)) throw e;
    }
  }

  async listCollections(): Promise<string[]> {
    const { collections } = await this.call("listing collections", () => this.client.getCollections());
    return collections.map((c) => c.name);
  }

  async collectionInfo(name: string): Promise<{ dimension: number; distance: Distance; count: number } | null> {
    const info = await this.describe(name);
    return info && { dimension: info.dimension, distance: info.distance, count: await this.count(name) };
  }

  /** Batches bounded by bytes (Qdrant's 32 MiB body limit), vectors as 9-digit float32 values. */
  async upsert(name: string, points: VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    const { physical, dimension } = await this.target(name);
    for (const batch of batchByBytes(preparePoints(points, dimension))) {
      const wire = batch.map((p) => ({ id: p.id, vector: toWireVector(p.vector), payload: p.payload }));
      await this.call(`upserting into ${name}`, () => this.client.upsert(physical, { wait: true, points: wire }), physical);
    }
  }

  /** Qdrant's upsert costs the same as an insert: one path for both. */
  insert(name: string, points: VectorPoint[]): Promise<void> {
    return this.upsert(name, points);
  }

  async deleteByIds(name: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const all = ids.map(normalizePointId);
    assertName(name);
    for (let i = 0; i < all.length; i += DELETE_IDS_CHUNK) {
      const points = all.slice(i, i + DELETE_IDS_CHUNK);
      await this.call(`deleting from ${name}`, () => this.client.delete(name, { wait: true, points }), name);
    }
  }

  async deleteByFilter(name: string, filter: PointFilter): Promise<void> {
    const qf = toQdrantFilter(requireNonEmptyFilter(filter));
    if (!qf) return;
    await this.call(`deleting from ${name}`, () => this.client.delete(assertName(name), { wait: true, filter: qf }), name);
  }

  async count(name: string, filter?: PointFilter): Promise<number> {
    const qf = toQdrantFilter(filter);
    // A filter that matches nothing still needs the collection to exist, as with LanceDB.
    if (qf === null) return (await this.target(name), 0);
    return (await this.call(`counting ${name}`, () => this.client.count(assertName(name), { exact: true, filter: qf }), name)).count;
  }

  async scroll(
    name: string,
    opts: { limit: number; cursor?: string | null; withVectors?: boolean; filter?: PointFilter },
  ): Promise<{ points: VectorPoint[]; nextCursor: string | null }> {
    const requested = assertLimit(opts.limit);
    const qf = toQdrantFilter(opts.filter);
    const offset = opts.cursor ? normalizePointId(opts.cursor) : undefined;
    const { physical, dimension } = await this.target(name);
    if (qf === null) return { points: [], nextCursor: null };
    const limit = scrollPageLimit(requested, dimension, !!opts.withVectors);
    const request = { limit, offset, filter: qf, with_payload: true, with_vector: !!opts.withVectors };
    const page = await this.call(`scrolling ${name}`, () => this.client.scroll(physical, request), physical);
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
    const { physical, dimension, distance } = await this.target(name);
    const query = toWireVector(toFloat32(vector, dimension));
    if (qf === null) return [];
    const { points } = await this.call(`searching ${name}`, () => this.client.query(physical, { query, limit, filter: qf, with_payload: true }), physical);
    // Qdrant scores Euclid as the distance itself (lower is closer); negate it so higher is always closer.
    return points.map((p) => ({ id: String(p.id), score: distance === "euclid" ? 0 - Math.abs(p.score) : p.score, payload: (p.payload ?? {}) as Payload }));
  }

  /**
   * create_alias alone: Qdrant replaces an existing alias with it under its alias lock, after checking
   * that the target exists and the alias is no collection's name (update_aliases in toc/collection_meta_ops.rs).
   * A delete + create pair would leave no alias if the create failed.
   */
  async switchAlias(alias: string, collection: string): Promise<void> {
    assertName(alias, "alias");
    assertName(collection);
    const actions = [{ create_alias: { alias_name: alias, collection_name: collection } }];
    try {
      await this.call(`switching alias ${alias}`, () => this.client.updateCollectionAliases({ actions }));
    } catch (e) {
      if (e instanceof QdrantError && e.missingCollection) throw new VectorStoreError(`Cannot point alias ${alias} at ${collection}: no such collection`, { cause: e });
      if (e instanceof QdrantError && e.status === 409) throw new VectorStoreError(`${alias} is a collection; an alias cannot have the same name`, { cause: e });
      throw e;
    }
    this.log.info({ alias, collection }, "switched alias");
  }

  /** Qdrant's delete_alias of an alias that is not there succeeds (alias_mapping.rs remove). */
  async deleteAlias(alias: string): Promise<void> {
    assertName(alias, "alias");
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

  /** One try, no retries: health reports the state now. */
  async health(): Promise<StoreHealth> {
    const started = performance.now();
    try {
      await this.client.getCollections();
      return { ok: true, latencyMs: performance.now() - started };
    } catch (e) {
      return { ok: false, latencyMs: performance.now() - started, message: classifyQdrantError(e, "health check").message };
    }
  }

  async close(): Promise<void> {}
}
