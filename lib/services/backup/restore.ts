import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backups, type Backup } from "@/db/schema/backups";
import { collections, type Collection } from "@/db/schema/collections";
import { restoreRequested } from "@/inngest/events";
import { BACKUP_VERSION, type BackupManifest } from "@/lib/backup";
import { planRestore } from "@/lib/backup/restore-run";
import { readBackupManifest } from "@/lib/backup/read";
import { unusableBackupReason } from "@/lib/backup/errors";
import { getEmbedder } from "@/lib/embeddings";
import { env } from "@/lib/env";
import { refuseBeyondLimits } from "@/lib/resources/check";
import { createReadStream } from "node:fs";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, notFound, ServiceError } from "../errors";
import { CollectionName } from "../collection/schemas";
import { findCollection } from "../collection/find";
import { startOperation } from "../operation/start";
import { authorize, parseInput, parseReadInput } from "../verb";
import { auditRefusals } from "./refusal";
import { StartRestoreInput } from "./schemas";

type Check = { check: string; ok: boolean; detail: string };

export type RestoreReport = {
  backup: { id: string; collection: string; kind: string; createdAt: string; note: string; points: number; documents: number; sources: number; vectors: boolean; formatVersion: number };
  target: { mode: StartRestoreInput["mode"]; name: string; exists: boolean };
  checks: Check[];
  conflicts: { documents: number; policy: "skip" | "overwrite" } | null;
  refusals: Record<string, string[]>;
};

const invalid = (field: string, message: string) => new ServiceError("invalid", message, { [field]: [message] });

async function loadBackup(backupId: string): Promise<{ backup: Backup; manifest: BackupManifest }> {
  const [backup] = await getDb().select().from(backups).where(eq(backups.id, backupId));
  if (!backup) throw notFound("Backup");
  if (backup.status !== "complete") throw invalid("backupId", "This backup is not complete; choose another.");
  try {
    return { backup, manifest: await readBackupManifest(createReadStream(backup.path)) };
  } catch (err) {
    const reason = unusableBackupReason(err);
    throw reason === undefined ? err : invalid("backupId", reason);
  }
}

/**
 * What a restore would do and meet, before anything starts: the manifest's counts, the target,
 * the compatibility checks (model available here, and for a merge the same model, dimension and
 * distance), and a merge's conflicting documents. `refusals` are what a start would refuse.
 */
async function planRestoreStart(data: StartRestoreInput) {
  const { backup, manifest } = await loadBackup(data.backupId);
  const c = manifest.collection;
  const checks: Check[] = [{ check: "format", ok: true, detail: `stevedore-backup version ${manifest.version} (this server reads ${BACKUP_VERSION})` }];
  const refusals: Record<string, string[]> = {};
  const refuse = (field: string, message: string) => (refusals[field] ??= []).push(message);
  try {
    const dimension = getEmbedder(c.embeddingModel).dimension;
    if (dimension !== c.dimension) throw new Error(`it makes ${dimension}-dimensional vectors, the backup has ${c.dimension}`);
    checks.push({ check: "embedding model", ok: true, detail: `${c.embeddingModel} (${c.dimension} dimensions) is available` });
  } catch (err) {
    const detail = `${c.embeddingModel} is not usable here: ${err instanceof Error ? err.message : "unavailable"}`;
    checks.push({ check: "embedding model", ok: false, detail });
    refuse("backupId", `The backup's embedding model ${detail.slice(c.embeddingModel.length + 1)}; searches of the restored collection could not embed their queries.`);
  }
  if (manifest.kind === "schema" && data.mode !== "new") refuse("mode", "A schema-only backup holds no points: restore it into a new collection.");
  let target: Collection | null = null;
  let conflicts: RestoreReport["conflicts"] = null;
  if (data.mode === "new") {
    const name = CollectionName.safeParse(data.into);
    if (!name.success) refuse("into", name.error.issues[0]!.message);
    else {
      const [taken] = await getDb().select({ id: collections.id }).from(collections).where(eq(collections.name, name.data));
      if (taken) refuse("into", "A collection with this name already exists: choose another, or restore into it with replace or merge.");
    }
  } else {
    target = await findCollection(data.collectionId!);
    if (data.mode === "merge") {
      const same = target.embeddingModel === c.embeddingModel && target.dimension === c.dimension && target.distance === c.distance;
      checks.push({ check: "compatibility", ok: same, detail: same ? `same model, dimension and distance as ${target.name}` : `${target.name} uses ${target.embeddingModel}/${target.dimension}/${target.distance}, the backup ${c.embeddingModel}/${c.dimension}/${c.distance}` });
      if (!same) refuse("collectionId", `A merge needs the same embedding model, dimension and distance: ${target.name} uses ${target.embeddingModel}, ${target.dimension}, ${target.distance}; the backup ${c.embeddingModel}, ${c.dimension}, ${c.distance}. Restore into a new collection or replace instead.`);
      else {
        const plan = await planRestore(manifest, target, { mode: "merge", onConflict: data.onConflict });
        conflicts = { documents: plan.conflicts, policy: data.onConflict };
      }
    } else {
      checks.push({ check: "replace", ok: true, detail: `${target.name} switches to the backup's data and settings (${c.embeddingModel}, chunks of ${c.chunkSize}); its current version is kept for the rollback window` });
    }
  }
  const report: RestoreReport = {
    backup: { id: backup.id, collection: c.name, kind: manifest.kind, createdAt: manifest.createdAt, note: manifest.note, points: manifest.counts.points, documents: manifest.counts.documents, sources: manifest.counts.sources, vectors: manifest.vectors.included, formatVersion: manifest.version },
    target: { mode: data.mode, name: target?.name ?? data.into ?? "", exists: !!target },
    checks,
    conflicts,
    refusals,
  };
  return { backup, manifest, target, report };
}

/** The dry run: the report, nothing starts. */
export async function previewRestore({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "restore.start", input);
  const data = parseReadInput(StartRestoreInput, input);
  const { report } = await planRestoreStart(data);
  return { dryRun: true as const, ...report };
}

/**
 * RESTORE into a new collection (created now, removed again if the restore fails), or into an
 * existing one by replace (the typed name confirms) or merge. The file's checksum is proven by the
 * restore before anything live changes.
 */
export async function startRestore({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "restore.start", input);
  const data = await parseInput(ctx, "restore.start", StartRestoreInput, input);
  const { backup, manifest, target, report } = await auditRefusals(ctx, "restore.start", { type: "backup", id: data.backupId }, async () => {
    const planned = await planRestoreStart(data);
    const { refusals } = planned.report;
    if (data.mode === "replace" && (data.confirm ?? "").trim() !== planned.target!.name) refusals.confirm = [`Type “${planned.target!.name}” to confirm: its live data will be replaced.`];
    const fields = Object.keys(refusals);
    if (fields.length) throw new ServiceError("invalid", refusals[fields[0]!]![0]!, refusals);
    return planned;
  });
  const c = manifest.collection;
  const operation = await startOperation(ctx, {
    action: "restore.start",
    type: "RESTORE",
    event: { name: restoreRequested.name },
    inTransaction: async (tx) => {
      let collectionId = target?.id;
      if (data.mode === "new") {
        const [created] = await tx
          .insert(collections)
          .values({ name: data.into!, description: c.description, embeddingModel: c.embeddingModel, dimension: c.dimension, distance: c.distance, chunkSize: c.chunkSize, chunkOverlap: c.chunkOverlap, vectorBackend: env().VECTOR_STORE, createdBy: ctx.actor.id })
          .onConflictDoNothing({ target: collections.name })
          .returning();
        if (!created) throw conflict("A collection with this name already exists.", { into: ["A collection with this name already exists."] });
        collectionId = created.id;
        await refuseBeyondLimits(tx, ctx.actor, { collections: { except: created.id }, points: { collection: null, name: created.name, add: manifest.counts.points, advice: "Restore into an existing collection, or ask an admin to raise the limit." } });
      } else {
        const points = data.mode === "replace" ? { total: manifest.counts.points } : { add: manifest.counts.points };
        await refuseBeyondLimits(tx, ctx.actor, { points: { collection: { id: target!.id }, name: target!.name, ...points, advice: "Restore into a new collection, or ask an admin to raise the limit." } });
      }
      await emitAudit(tx, ctx, { action: "restore.start", target: { type: "backup", id: backup.id }, params: { mode: data.mode, into: data.mode === "new" ? data.into : target!.name, onConflict: data.mode === "merge" ? data.onConflict : undefined, points: manifest.counts.points, sha256: backup.sha256 } });
      return { collectionId, params: { backupId: backup.id, mode: data.mode, onConflict: data.onConflict, collection: data.mode === "new" ? data.into : target!.name, createdCollection: data.mode === "new" } };
    },
  });
  return { operationId: operation.id, collectionId: operation.collectionId, report };
}
