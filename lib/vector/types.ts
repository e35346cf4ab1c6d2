/**
 * The one interface over vector databases: LanceDB (embedded default) and Qdrant (production).
 * Names are physical collections (`docs__v3`) or aliases (`docs`) wherever a read takes a name.
 */
export type Distance = "cosine" | "dot" | "euclid";

export type Payload = Record<string, string | number | boolean | null>;

export type VectorPoint = { id: string; vector: Float32Array | number[]; payload: Payload };

/** Equality / membership on payload keys, all conditions ANDed. */
export type PointFilter = Record<string, string | number | boolean | Array<string | number>>;

export type ScoredPoint = { id: string; score: number; payload: Payload };

/**
 * Server-side layout of a collection: Qdrant applies it at creation (vectors.on_disk, hnsw_config,
 * replication_factor, shard_number); LanceDB has no such settings and ignores it. Unset: the server's default.
 */
export type CollectionLayout = { vectorsOnDisk?: boolean; hnswM?: number; hnswEfConstruct?: number; replicationFactor?: number; shardNumber?: number };

export type StoreHealth = { ok: boolean; latencyMs: number; message?: string };

export interface VectorStore {
  readonly backend: "lancedb" | "qdrant";
  /**
   * Creates the collection; a no-op if it exists with the same dimension and distance, an error if not.
   * Cosine collections keep every vector divided by its length (as Qdrant does on write; a zero or
   * already-unit vector is kept as written), so scroll returns that unit vector, not the one written.
   */
  createCollection(name: string, opts: { dimension: number; distance: Distance; layout?: CollectionLayout }): Promise<void>;
  /** Drops the collection (and any alias pointing at it); a no-op if it does not exist. */
  dropCollection(name: string): Promise<void>;
  listCollections(): Promise<string[]>;
  collectionInfo(name: string): Promise<{ dimension: number; distance: Distance; count: number } | null>;
  /** Inserts or replaces points by id: writing the same batch twice leaves one copy. */
  upsert(name: string, points: VectorPoint[]): Promise<void>;
  /**
   * Adds points the caller knows are not in the collection yet (a reindex's first write of a
   * batch): LanceDB appends them without upsert's join against the whole table; Qdrant upserts.
   * Points already there may be duplicated, so a write that may repeat must use upsert.
   */
  insert(name: string, points: VectorPoint[]): Promise<void>;
  deleteByIds(name: string, ids: string[]): Promise<void>;
  deleteByFilter(name: string, filter: PointFilter): Promise<void>;
  count(name: string, filter?: PointFilter): Promise<number>;
  /**
   * Pages through all points in a stable order; `cursor` is the previous page's `nextCursor`. A page may
   * hold fewer than `limit` points (Qdrant's are bounded by bytes): only `nextCursor: null` ends the scroll.
   * count, scroll and search on a collection or alias that does not exist throw, whatever the filter.
   */
  scroll(
    name: string,
    opts: { limit: number; cursor?: string | null; withVectors?: boolean; filter?: PointFilter },
  ): Promise<{ points: VectorPoint[]; nextCursor: string | null }>;
  /** Top-k by similarity; a higher score is more similar for every distance. */
  search(name: string, vector: Float32Array | number[], opts: { limit: number; filter?: PointFilter }): Promise<ScoredPoint[]>;
  /** Points `alias` at `collection` atomically (replacing any previous target): readers see old or new, never neither. */
  switchAlias(alias: string, collection: string): Promise<void>;
  deleteAlias(alias: string): Promise<void>;
  resolveAlias(alias: string): Promise<string | null>;
  listAliases(): Promise<Array<{ alias: string; collection: string }>>;
  /**
   * Housekeeping after bulk writes. Added because LanceDB needs it: it compacts the small files many
   * upserts leave and builds an ANN index once a collection is large enough. Qdrant does both itself (no-op).
   */
  optimize(name: string): Promise<void>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
