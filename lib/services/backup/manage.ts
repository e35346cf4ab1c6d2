import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { rename, stat } from "node:fs/promises";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { backups, type Backup } from "@/db/schema/backups";
import { operations } from "@/db/schema/operations";
import { users } from "@/db/schema/users";
import { backupVerifyRequested } from "@/inngest/events";
import { can } from "@/lib/auth/rbac";
import { isBackupFormatError, verifyBackup } from "@/lib/backup";
import { backupPaths, ensureBackupDir, removeFiles } from "@/lib/backup/files";
import { ACTIVE_OPERATION_STATUSES } from "@/lib/operation-status";
import type { StagedFile } from "../collection/upload";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, forbidden, notFound, ServiceError } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput, parseReadInput, withTransaction } from "../verb";
import { BackupRef, ListBackupsInput } from "./schemas";

export type BackupRow = Backup & { createdByEmail: string | null };

export async function listBackups({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<BackupRow[]> {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const f = parseReadInput(ListBackupsInput, input ?? {});
  const rows = await getDb()
    .select({ backup: backups, createdByEmail: users.email })
    .from(backups)
    .leftJoin(users, eq(users.id, backups.createdBy))
    .where(f.collectionId ? eq(backups.collectionId, f.collectionId) : undefined)
    .orderBy(desc(backups.createdAt))
    .limit(f.limit);
  return rows.map((r) => ({ ...r.backup, createdByEmail: r.createdByEmail }));
}

export async function getBackup({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<BackupRow> {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  const parsed = BackupRef.safeParse(input);
  if (!parsed.success) throw notFound("Backup");
  const [row] = await getDb().select({ backup: backups, createdByEmail: users.email }).from(backups).leftJoin(users, eq(users.id, backups.createdBy)).where(eq(backups.id, parsed.data.backupId));
  if (!row) throw notFound("Backup");
  return { ...row.backup, createdByEmail: row.createdByEmail };
}

/** The file of a complete backup, as a stream for a download, with a name an operator recognises. */
export async function openBackupDownload({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  const backup = await getBackup({ ctx, input });
  if (backup.status !== "complete") throw conflict("This backup is not complete; there is no file to download.");
  const size = await stat(backup.path).then((s) => s.size).catch(() => null);
  if (size === null) throw new ServiceError("not_found", "The backup's file is missing from the backup directory.");
  const stamp = backup.createdAt.toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return { stream: createReadStream(backup.path), size, fileName: `${backup.collectionName}-${stamp}.jsonl.gz` };
}

/** VERIFY_BACKUP: re-reads the file as its own operation (it takes no collection's turn). */
export async function startVerifyBackup({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "backup.verify", input);
  const { backupId } = await parseInput(ctx, "backup.verify", BackupRef, input);
  const operation = await startOperation(ctx, {
    action: "backup.verify",
    type: "VERIFY_BACKUP",
    event: { name: backupVerifyRequested.name },
    inTransaction: async (tx) => {
      const [backup] = await tx.select().from(backups).where(eq(backups.id, backupId));
      if (!backup) throw notFound("Backup");
      if (backup.status !== "complete") throw conflict("Only a complete backup can be verified.");
      await emitAudit(tx, ctx, { action: "backup.verify", target: { type: "backup", id: backupId }, params: { collection: backup.collectionName } });
      return { collectionId: backup.collectionId ?? undefined, params: { backupId, collection: backup.collectionName } };
    },
  });
  return { operationId: operation.id, backupId };
}

/** Deletes a backup and its file (admin). Refused while an operation under way reads or writes it. */
export async function deleteBackup({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "backup.delete", "backup.delete", input);
  const { backupId } = await parseInput(ctx, "backup.delete", BackupRef, input);
  const removed = await withTransaction(ctx, "backup.delete", async (tx) => {
    const [backup] = await tx.select().from(backups).where(eq(backups.id, backupId)).for("update");
    if (!backup) throw notFound("Backup");
    // Every operation that writes or reads a backup names it in its params.
    const [busy] = await tx
      .select({ type: operations.type })
      .from(operations)
      .where(and(inArray(operations.status, ACTIVE_OPERATION_STATUSES), sql`${operations.params}->>'backupId' = ${backupId}`))
      .limit(1);
    if (busy) throw conflict(`A ${busy.type} operation under way uses this backup; wait for it to finish.`);
    await tx.delete(backups).where(eq(backups.id, backupId));
    await emitAudit(tx, ctx, { action: "backup.delete", target: { type: "backup", id: backupId }, params: { collection: backup.collectionName, points: backup.pointCount, sha256: backup.sha256 } });
    return backup;
  });
  // After the commit: a failed commit keeps the file its row still names.
  await removeFiles(removed.path, backupPaths(removed.id).partial);
  return { backupId };
}

/** Lets the route refuse a viewer before reading the body. */
export async function authorizeImport(ctx: ServiceContext) {
  await authorize(ctx, "operation.start", "backup.import");
}

/**
 * A backup file uploaded from elsewhere: read whole before it is kept (gzip, manifest, every line,
 * count and checksum), so a damaged, foreign or newer file is refused with the reason and nothing
 * is stored. Kept as a complete, verified backup that a restore can use.
 */
export async function importBackup({ ctx, input, file }: { ctx: ServiceContext; input: { note?: string }; file: StagedFile | undefined }) {
  await authorize(ctx, "operation.start", "backup.import");
  if (!file) throw new ServiceError("invalid", "Choose a backup file.", { file: ["Choose a backup file (.jsonl.gz)."] });
  if (file.overLimit) throw new ServiceError("invalid", "The file is larger than the limit for a backup upload.", { file: ["Larger than STEVEDORE_MAX_BACKUP_UPLOAD_BYTES."] });
  let summary;
  try {
    summary = await verifyBackup(createReadStream(file.path));
  } catch (err) {
    if (!isBackupFormatError(err)) throw err;
    await withTransaction(ctx, "backup.import", async (tx) => emitAudit(tx, ctx, { action: "backup.import", target: { type: "backup", id: null }, outcome: "failure", error: err.code, params: { file: file.name.slice(0, 200) } }));
    throw new ServiceError("invalid", err.message, { file: [err.message] });
  }
  const id = randomUUID();
  const { final } = backupPaths(id);
  await ensureBackupDir();
  await rename(file.path, final);
  const m = summary.manifest;
  try {
    const backup = await withTransaction(ctx, "backup.import", async (tx) => {
      const [row] = await tx
        .insert(backups)
        .values({ id, collectionName: m.collection.name, origin: "import", kind: m.kind, vectors: m.vectors.included, sourceFilter: m.sourceFilter, note: (input.note ?? "").slice(0, 2000) || m.note, status: "complete", path: final, sizeBytes: summary.compressedBytes, sha256: summary.sha256, pointCount: summary.count, documentCount: m.counts.documents, createdBy: ctx.actor.id, finishedAt: new Date(), verifiedAt: new Date(), verifiedOk: true })
        .returning();
      await emitAudit(tx, ctx, { action: "backup.import", target: { type: "backup", id }, params: { file: file.name.slice(0, 200), collection: m.collection.name, points: summary.count, sha256: summary.sha256 } });
      return row!;
    });
    return backup;
  } catch (err) {
    await removeFiles(final);
    throw err;
  }
}
