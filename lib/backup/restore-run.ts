import { createReadStream } from "node:fs";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backups, type Backup } from "@/db/schema/backups";
import { aliasChanges, collectionVersions, goldenQueries } from "@/db/schema/collection-versions";
import { collections, type Collection } from "@/db/schema/collections";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { sources } from "@/db/schema/sources";
import { getEmbedder } from "@/lib/embeddings";
import { uuidV5 } from "@/lib/ingest/chunk";
import { isOperationActive } from "@/lib/operation-status";
import { loadOperation } from "@/lib/pipeline/context";
import { PermanentError } from "@/lib/pipeline/errors";
import { physicalName } from "@/lib/pipeline/target";
import { resolvePolicy } from "@/lib/reindex/policy";
import { activeVersionOf, nextVersionNumber, switchToVersion } from "@/lib/reindex/versions";
import { StageTally } from "@/lib/observability/stage-tally";
import { recordCheckpoint, setOperationProgress } from "@/lib/services/operation/progress";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
import { getVectorStore } from "@/lib/vector";
import type { VectorPoint } from "@/lib/vector/types";
import { isBackupFormatError, unusableBackupReason } from "./errors";
import { readBackup, readBackupManifest } from "./read";
import type { BackupManifest } from "./schema";

export type RestoreMode = "new" | "replace" | "merge";
export type RestoreParams = { backupId: string; mode: RestoreMode; onConflict: "skip" | "overwrite"; stagingVersionId?: string; createdCollection?: boolean };

/** Fixed namespace for the ids a restore gives a backup's sources and documents in another collection. Never change it. */
const RESTORE_ID_NAMESPACE = "5b0f4f7e-7c55-5d1a-9d8c-3c2f3f6a8e11";
/** Points per store insert. 5,000 was no faster (the insert overlaps the parsing either way) and added ~100 MB at peak. */
const WRITE_BATCH = 2000;

export async function loadRestore(operationId: string) {
  const { op, collection } = await loadOperation(operationId);
  const params = op.params as unknown as RestoreParams;
  const [backup] = await getDb().select().from(backups).where(eq(backups.id, params.backupId));
  if (!backup || backup.status !== "complete") throw new PermanentError("The backup is gone or was never completed.");
  return { op, collection, params, backup };
}

/** Opens the backup's file, or says it is gone (a permanent failure: nothing has changed). */
export function openBackup(backup: Backup) {
  return createReadStream(backup.path, { highWaterMark: 1024 * 1024 });
}

/** Reads only the manifest; a refused file is a permanent failure with the reader's message. */
export async function manifestOf(backup: Backup): Promise<BackupManifest> {
  try {
    return await readBackupManifest(openBackup(backup));
  } catch (err) {
    throw asPermanent(err);
  }
}

function asPermanent(err: unknown): unknown {
  const reason = unusableBackupReason(err);
  return reason === undefined ? err : new PermanentError(reason);
}

/**
 * How the backup's ids land in `target`: unchanged when the target is the collection the backup
 * came from (it still has one of the backup's sources), else derived from the target's id, so a
 * restore repeated into the same target gives the same ids and its writes stay idempotent.
 */
export async function idMapper(manifest: BackupManifest, targetId: string): Promise<(id: string) => string> {
  const ids = manifest.sources.map((s) => s.id);
  const same = ids.length ? await getDb().select({ id: sources.id }).from(sources).where(and(inArray(sources.id, ids), eq(sources.collectionId, targetId))).limit(1) : [];
  if (same.length || ids.length === 0) return (id) => id;
  return (id) => uuidV5(`${targetId}:${id}`, RESTORE_ID_NAMESPACE);
}

export type RestorePlan = {
  mapId: (id: string) => string;
  /** The target's id for a backup's source: the target's source of that name if it has one. */
  sourceIdOf: Map<string, string>;
  /** Mapped ids of the backup's documents. */
  backupDocs: Set<string>;
  /** Backup documents a merge leaves out (the live one wins on "skip"). */
  skipBackupDocs: Set<string>;
  /** Live documents whose points the new version does not keep (replaced by the backup's). */
  dropLiveDocs: Set<string>;
  /** Backup documents that meet a live one (by id, or by source and path). */
  conflicts: number;
};

/**
 * Where each of the backup's sources and documents lands in `collection`, and the conflicts: a
 * live document conflicts with a backup document of the same id, or of the same source and path.
 */
export async function planRestore(manifest: BackupManifest, collection: Collection, params: Pick<RestoreParams, "mode" | "onConflict">): Promise<RestorePlan> {
  const db = getDb();
  const mapId = await idMapper(manifest, collection.id);
  const liveSources = await db.select({ id: sources.id, name: sources.name }).from(sources).where(eq(sources.collectionId, collection.id));
  const byName = new Map(liveSources.map((s) => [s.name, s.id]));
  const sourceIdOf = new Map(manifest.sources.map((s) => [s.id, byName.get(s.name) ?? mapId(s.id)]));
  const backupDocs = new Set(manifest.documents.map((d) => mapId(d.id)));
  const plan: RestorePlan = { mapId, sourceIdOf, backupDocs, skipBackupDocs: new Set(), dropLiveDocs: new Set(), conflicts: 0 };
  if (params.mode === "new") return plan;
  for (let i = 0; i < manifest.documents.length; i += 5000) {
    const slice = manifest.documents.slice(i, i + 5000);
    const wanted = JSON.stringify(slice.map((d) => ({ id: mapId(d.id), source_id: sourceIdOf.get(d.sourceId) ?? null, path: d.path })));
    const rows = await db.execute<{ live: string; backup: string }>(sql`
      select d.id as live, b.id as backup from documents d
      join jsonb_to_recordset(${wanted}::jsonb) as b(id uuid, source_id uuid, path text)
        on d.id = b.id or (d.source_id = b.source_id and d.path = b.path)
      where d.collection_id = ${collection.id}`);
    plan.conflicts += new Set(rows.map((r) => r.backup)).size;
    for (const r of rows) {
      if (params.mode === "merge" && params.onConflict === "skip") plan.skipBackupDocs.add(r.backup);
      else if (r.live !== r.backup) plan.dropLiveDocs.add(r.live);
    }
  }
  return plan;
}

/** The staging version the restore writes into: the collection's next version, made with the backup's settings. */
export async function createRestoreStaging(operationId: string) {
  await recordCheckpoint(operationId, "staging", { status: "running" });
  const { op, collection, params, backup } = await loadRestore(operationId);
  const manifest = await manifestOf(backup);
  const db = getDb();
  let [staging] = params.stagingVersionId ? await db.select().from(collectionVersions).where(eq(collectionVersions.id, params.stagingVersionId)) : [];
  if (!staging) {
    const version = await nextVersionNumber(collection.id);
    const c = params.mode === "merge" ? collection : manifest.collection;
    [staging] = await db
      .insert(collectionVersions)
      .values({ collectionId: collection.id, version, physicalName: physicalName(collection.name, version), status: "staging", operationId, embeddingModel: c.embeddingModel, dimension: c.dimension, distance: c.distance, chunkSize: c.chunkSize, chunkOverlap: c.chunkOverlap })
      .returning();
    await db.update(operations).set({ params: sql`${operations.params} || ${JSON.stringify({ stagingVersionId: staging!.id })}::jsonb` }).where(eq(operations.id, op.id));
  }
  await (await getVectorStore()).createCollection(staging!.physicalName, { dimension: staging!.dimension, distance: staging!.distance, layout: collection.vectorLayout });
  const output = { version: staging!.version, physicalName: staging!.physicalName };
  await recordCheckpoint(operationId, "staging", { status: "succeeded", output });
  return output;
}

async function stagingOf(operationId: string) {
  const loaded = await loadRestore(operationId);
  const [staging] = loaded.params.stagingVersionId ? await getDb().select().from(collectionVersions).where(eq(collectionVersions.id, loaded.params.stagingVersionId)) : [];
  if (!staging || staging.status !== "staging") throw new PermanentError("The restore's staging version no longer exists.");
  return { ...loaded, staging };
}

class RestoreCancelled extends Error {}

async function stillActive(operationId: string): Promise<void> {
  const [op] = await getDb().select({ status: operations.status }).from(operations).where(eq(operations.id, operationId));
  if (!op || !isOperationActive(op.status)) throw new RestoreCancelled();
}

/** `map` remembered for the last ids it met (bounded: a backup may have millions of documents). */
function memo(map: (id: string) => string): (id: string) => string {
  const seen = new Map<string, string>();
  return (id) => {
    let mapped = seen.get(id);
    if (mapped === undefined) {
      if (seen.size >= 50_000) seen.clear();
      seen.set(id, (mapped = map(id)));
    }
    return mapped;
  };
}

/**
 * The load checkpoint: every point of the backup into the staging version (re-embedding the text
 * when the backup has no vectors), then, for a merge, the live points it keeps. The file's
 * checksum is proven at its end, before anything live changes; a refusal gives the staging up.
 * A retried step starts again from an empty staging version.
 */
export async function loadRestorePoints(operationId: string): Promise<{ written: number; kept: number; skipped: number; cancelled?: boolean }> {
  await recordCheckpoint(operationId, "load", { status: "running" });
  const { collection, params, backup, staging } = await stagingOf(operationId);
  const store = await getVectorStore();
  const manifest = await manifestOf(backup);
  const plan = await planRestore(manifest, collection, params);
  const live = params.mode === "merge" ? await activeVersionOf(collection.id) : null;
  // A retried load starts from an empty staging version, so every write may be an insert (no join
  // against what is there): backup and live points never share an id, as both derive from documents.
  if ((await store.count(staging.physicalName)) > 0) {
    await store.dropCollection(staging.physicalName);
    await store.createCollection(staging.physicalName, { dimension: staging.dimension, distance: staging.distance, layout: collection.vectorLayout });
  }
  const embedder = manifest.vectors.included ? null : getEmbedder(staging.embeddingModel);
  const total = manifest.counts.points;
  const started = performance.now();
  // A retried load starts afresh, so its figures replace those of an attempt that got as far as recording.
  const tally = new StageTally();
  let written = 0;
  let skipped = 0;
  let batch: Array<{ id: string; vector: Float32Array | null; payload: VectorPoint["payload"] }> = [];
  // The store inserts off the main thread: the next batch is read and checked while one is written.
  // Writes stay one at a time, in file order; a failed one surfaces at the next flush or the end.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (!batch.length) return;
    const points = batch;
    batch = [];
    const vectors = embedder ? await tally.embed(embedder, points.map((p) => String(p.payload.text ?? ""))) : null;
    await writing;
    writing = (async () => {
      const rows = points.map((p, i) => ({ id: p.id, vector: vectors ? vectors[i]! : p.vector!, payload: p.payload }));
      await tally.time("store", rows.length, () => store.insert(staging.physicalName, rows));
      tally.countPointsWritten(rows);
      written += points.length;
      await stillActive(operationId);
      const s = (performance.now() - started) / 1000;
      await setOperationProgress(operationId, { done: written + skipped, total, unit: "points", ratePerS: Math.round(written / Math.max(s, 0.001)), etaS: written ? Math.round(((total - written - skipped) * s) / written) : undefined });
    })();
    writing.catch(() => undefined);
  };
  // A document's ten-odd points share its mapped ids: each is derived (a SHA-1) once, not once a point.
  const docOf = memo(plan.mapId);
  const sourceOf = memo((id) => plan.sourceIdOf.get(id) ?? plan.mapId(id));
  try {
    for await (const record of readBackup(openBackup(backup))) {
      if (record.type !== "point") continue;
      const { point } = record;
      const docId = docOf(String(point.payload.document_id ?? ""));
      if (plan.skipBackupDocs.has(docId)) {
        skipped++;
        continue;
      }
      const payload = { ...point.payload, collection_id: collection.id, document_id: docId, source_id: sourceOf(String(point.payload.source_id ?? "")) };
      batch.push({ id: plan.mapId(point.id), vector: point.vector, payload });
      if (batch.length >= WRITE_BATCH) await flush();
    }
    await flush();
    await writing;
    let kept = 0;
    if (live) {
      // The live points the merge keeps: those of documents the backup does not replace.
      for (let cursor: string | null = null; ; ) {
        const page = await store.scroll(live.physicalName, { limit: 1000, cursor, withVectors: true });
        const keep = page.points.filter((p) => {
          const doc = String(p.payload.document_id);
          return !plan.dropLiveDocs.has(doc) && (plan.skipBackupDocs.has(doc) || !plan.backupDocs.has(doc));
        });
        if (keep.length) {
          await tally.time("store", keep.length, () => store.insert(staging.physicalName, keep));
          tally.countPointsWritten(keep);
        }
        kept += keep.length;
        await stillActive(operationId);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
    }
    await store.optimize(staging.physicalName);
    const counted = await store.count(staging.physicalName);
    if (counted !== written + kept) throw new PermanentError(`The restored version holds ${counted} points where ${written + kept} were written; nothing live was changed.`);
    const output = { written, kept, skipped, points: counted, sha256: backup.sha256 };
    tally.add("restore-load", performance.now() - started, written + kept);
    tally.counters.bytesRead += backup.sizeBytes ?? 0;
    await getDb().transaction(async (tx) => {
      await tx.update(collectionVersions).set({ pointCount: counted }).where(eq(collectionVersions.id, staging.id));
      await recordStageTally(tx, operationId, tally, { replace: true });
    });
    await getDb().update(backups).set({ verifiedAt: new Date(), verifiedOk: true, verifyError: null }).where(eq(backups.id, backup.id));
    await recordCheckpoint(operationId, "load", { status: "succeeded", output });
    return output;
  } catch (err) {
    // Nothing may still write into the staging version the failure is about to give up.
    await writing.catch(() => undefined);
    if (err instanceof RestoreCancelled) return { written, kept: 0, skipped, cancelled: true };
    if (isBackupFormatError(err)) await getDb().update(backups).set({ verifiedAt: new Date(), verifiedOk: false, verifyError: err.message }).where(eq(backups.id, backup.id));
    throw asPermanent(err);
  }
}

/** The switch: the collection's alias moves to the restored version atomically (the first activation for a new collection). */
export async function switchRestore(operationId: string) {
  await recordCheckpoint(operationId, "switch", { status: "running" });
  const { op, collection, staging } = await stagingOf(operationId).catch(async (err) => {
    // A retried switch whose first attempt committed finds its version active: the same answer.
    const loaded = await loadRestore(operationId);
    const [active] = await getDb().select().from(collectionVersions).where(and(eq(collectionVersions.id, loaded.params.stagingVersionId ?? ""), eq(collectionVersions.status, "active")));
    if (!active) throw err;
    return { ...loaded, staging: active };
  });
  const policy = resolvePolicy(collection.reindexPolicy);
  const tally = new StageTally();
  const result = await tally.time("switch", 1, () => switchToVersion({ collectionId: collection.id, toVersionId: staging.id, operationId, actorId: op.requestedBy, reason: "restore", rollbackWindowHours: policy.rollbackWindowHours }));
  await recordStageTally(getDb(), operationId, tally, { replace: true });
  const output = { fromVersion: result.fromVersion, toVersion: result.toVersion, aliasMs: Math.round(result.aliasMs * 10) / 10 };
  await recordCheckpoint(operationId, "switch", { status: "succeeded", output });
  return { ...output, retired: result.retired };
}

/**
 * After the switch: the backup's sources, documents and golden queries in PostgreSQL (merge keeps
 * live documents on a skip; replace then removes the documents the backup does not have).
 * Idempotent: upserts by id, and a replace removes only documents this restore did not write.
 */
export async function restoreRecords(operationId: string): Promise<{ documents: number; removed: number }> {
  const { op, collection, params, backup } = await loadRestore(operationId);
  const manifest = await manifestOf(backup);
  const plan = await planRestore(manifest, collection, params);
  const db = getDb();
  // Replace: the documents the backup does not have go first, so none holds a path a restored one needs.
  let removed = 0;
  if (params.mode === "replace") {
    const keep = [...plan.backupDocs];
    const gone = await db.delete(documents).where(and(eq(documents.collectionId, collection.id), sql`${documents.id} not in (select jsonb_array_elements_text(${JSON.stringify(keep)}::jsonb)::uuid)`)).returning({ id: documents.id });
    removed = gone.length;
  } else if (plan.dropLiveDocs.size) {
    const gone = await db.delete(documents).where(inArray(documents.id, [...plan.dropLiveDocs])).returning({ id: documents.id });
    removed = gone.length;
  }
  for (const s of manifest.sources) {
    await db.insert(sources).values({ id: plan.sourceIdOf.get(s.id)!, collectionId: collection.id, name: s.name, kind: s.kind, path: s.path }).onConflictDoNothing();
  }
  // A schema-only backup has no points, so its documents would be rows with nothing behind them: an APPEND brings them back.
  const restoredDocuments = manifest.kind === "full" ? manifest.documents : [];
  for (let i = 0; i < restoredDocuments.length; i += 1000) {
    const rows = restoredDocuments
      .slice(i, i + 1000)
      .filter((d) => !plan.skipBackupDocs.has(plan.mapId(d.id)))
      .map((d) => {
        const extra = d as { title?: string | null; mimeType?: string | null };
        return { id: plan.mapId(d.id), collectionId: collection.id, sourceId: plan.sourceIdOf.get(d.sourceId)!, path: d.path, contentHash: d.contentHash, sizeBytes: d.sizeBytes, chunkCount: d.chunkCount, title: extra.title ?? null, mimeType: extra.mimeType ?? null, stage: "complete" as const, operationId: op.id };
      });
    if (!rows.length) continue;
    await db
      .insert(documents)
      .values(rows)
      .onConflictDoUpdate({ target: documents.id, set: { chunkCount: sql`excluded.chunk_count`, contentHash: sql`excluded.content_hash`, sizeBytes: sql`excluded.size_bytes`, stage: "complete", operationId: op.id, errorClass: null, errorMessage: null, duplicateOf: null } });
  }
  if (params.mode === "new") {
    await db.update(collections).set({ description: manifest.collection.description, reindexPolicy: manifest.collection.reindexPolicy, status: "ready" }).where(eq(collections.id, collection.id));
    const history = manifest.aliasHistory.map((h) => ({ collectionId: collection.id, at: new Date(h.at), actorLabel: `${h.actorLabel} (restored)`, fromVersion: h.fromVersion, toVersion: h.toVersion, reason: h.reason, operationId: null }));
    const [already] = await db.select({ id: aliasChanges.id }).from(aliasChanges).where(and(eq(aliasChanges.collectionId, collection.id), sql`${aliasChanges.actorLabel} like '% (restored)'`)).limit(1);
    if (history.length && !already) await db.insert(aliasChanges).values(history);
  }
  const golden = manifest.goldenQueries.filter((g) => g.query);
  if (golden.length) {
    const have = new Set((await db.select({ query: goldenQueries.query }).from(goldenQueries).where(eq(goldenQueries.collectionId, collection.id))).map((g) => g.query));
    const fresh = golden.filter((g) => !have.has(g.query)).map((g) => ({ collectionId: collection.id, query: g.query, expectedDocumentIds: g.expectedDocumentIds.map(plan.mapId), createdBy: op.requestedBy }));
    if (fresh.length) await db.insert(goldenQueries).values(fresh);
  }
  await recordCheckpoint(operationId, "records", { status: "succeeded", output: { documents: restoredDocuments.length, removed } });
  return { documents: restoredDocuments.length, removed };
}

/** A new collection a restore created and never activated goes again when the restore fails or is cancelled. */
export async function discardUnrestoredCollection(operationId: string): Promise<void> {
  const db = getDb();
  const [op] = await db.select().from(operations).where(eq(operations.id, operationId));
  const params = op?.params as Partial<RestoreParams> | undefined;
  if (op?.type !== "RESTORE" || params?.mode !== "new" || !op.collectionId) return;
  await db.delete(collections).where(and(eq(collections.id, op.collectionId), sql`${collections.activeVersion} is null`));
}

