import { z } from "zod";

/** The format's name and the one version this code writes and reads. */
export const BACKUP_FORMAT = "stevedore-backup";
export const BACKUP_VERSION = 1;

const PayloadValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const BackupPayload = z.record(z.string(), PayloadValue);

export const BackupCollectionConfig = z.object({
  name: z.string().min(1),
  description: z.string().default(""),
  embeddingModel: z.string().min(1),
  dimension: z.int().positive().max(65_536),
  distance: z.enum(["cosine", "dot", "euclid"]),
  chunkSize: z.int().positive(),
  chunkOverlap: z.int().nonnegative(),
  reindexPolicy: z.record(z.string(), z.unknown()).default({}),
  /** The version that was live when the backup was taken (a restore makes its own). */
  activeVersion: z.int().positive().nullable().default(null),
});

export const BackupAlias = z.object({ alias: z.string().min(1), target: z.string().min(1) });

export const BackupAliasChange = z.object({
  at: z.iso.datetime({ offset: true }),
  actorLabel: z.string(),
  fromVersion: z.int().nullable(),
  toVersion: z.int(),
  reason: z.enum(["index", "reindex", "rollback", "restore"]),
  operationId: z.string().nullable().default(null),
});

export const BackupSource = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(["directory", "upload"]),
  path: z.string(),
});

/** Loose: document rows gain columns over time, and an older backup must still read. */
export const BackupDocument = z.looseObject({
  id: z.string().min(1),
  sourceId: z.string().min(1),
  path: z.string(),
  contentHash: z.string().nullable(),
  sizeBytes: z.number().nonnegative(),
  chunkCount: z.int().nonnegative(),
});

export const BackupGoldenQuery = z.object({ query: z.string().min(1), expectedDocumentIds: z.array(z.string()) });

/** What the caller of the writer passes; the writer adds type, format and version. */
export const BackupManifestInput = z.object({
  kind: z.enum(["full", "schema"]),
  createdAt: z.iso.datetime({ offset: true }),
  createdBy: z.string().nullable().default(null),
  note: z.string().max(10_000).default(""),
  collection: BackupCollectionConfig,
  aliases: z.array(BackupAlias).default([]),
  aliasHistory: z.array(BackupAliasChange).default([]),
  /** Null: every source; else the names of the sources this backup covers. */
  sourceFilter: z.array(z.string()).nullable().default(null),
  sources: z.array(BackupSource).default([]),
  documents: z.array(BackupDocument).default([]),
  goldenQueries: z.array(BackupGoldenQuery).default([]),
  counts: z.object({ points: z.int().nonnegative(), documents: z.int().nonnegative(), sources: z.int().nonnegative() }),
  vectors: z.object({
    included: z.boolean(),
    /** Cosine collections store unit vectors; null when it does not apply (no vectors, not cosine). */
    unitLength: z.boolean().nullable(),
  }),
});

export const BackupManifestLine = BackupManifestInput.extend({
  type: z.literal("manifest"),
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
});

export const BackupPointLine = z.object({
  type: z.literal("point"),
  id: z.string().min(1),
  /** Base64 of the vector's little-endian float32 bytes; absent when the backup has no vectors. */
  vector: z.string().optional(),
  payload: BackupPayload,
});

export const BackupTrailerLine = z.object({
  type: z.literal("trailer"),
  count: z.int().nonnegative(),
  /** Hex SHA-256 of the point lines' bytes, each with its newline, in file order. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type BackupManifestInput = z.input<typeof BackupManifestInput>;
export type BackupManifest = z.output<typeof BackupManifestLine>;
export type BackupPointLine = z.output<typeof BackupPointLine>;
export type BackupTrailerLine = z.output<typeof BackupTrailerLine>;
export type BackupPayload = z.output<typeof BackupPayload>;
