import { randomUUID } from "node:crypto";
import { backups } from "@/db/schema/backups";
import { sources } from "@/db/schema/sources";
import { backupRequested } from "@/inngest/events";
import { backupPaths } from "@/lib/backup/files";
import { checkDisk } from "@/lib/resources/disk";
import { getDb } from "@/db/client";
import { eq } from "drizzle-orm";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, ServiceError } from "../errors";
import { findCollection } from "../collection/find";
import { startOperation } from "../operation/start";
import { authorize, parseInput, parseReadInput } from "../verb";
import { estimateBackup } from "./estimate";
import { auditRefusals } from "./refusal";
import { StartBackupInput } from "./schemas";

/** Names in `wanted` that are not sources of the collection: refused on the field, before anything starts. */
async function unknownSources(collectionId: string, wanted: string[] | undefined): Promise<string[]> {
  if (!wanted?.length) return [];
  const have = new Set((await getDb().select({ name: sources.name }).from(sources).where(eq(sources.collectionId, collectionId))).map((s) => s.name));
  return wanted.filter((n) => !have.has(n));
}

async function plan(input: StartBackupInput) {
  const collection = await findCollection(input.collectionId);
  const missing = await unknownSources(collection.id, input.sources);
  if (missing.length) throw new ServiceError("invalid", "Some fields are invalid.", { sources: [`No source named ${missing.map((m) => `“${m}”`).join(", ")} in ${collection.name}.`] });
  const estimate = await estimateBackup(collection, { kind: input.kind, vectors: input.vectors, sources: input.sources?.length ? input.sources : null });
  return { collection, estimate };
}

/** The dry run: how many points the backup would hold, its estimated size and duration, and the disk check. */
export async function previewBackup({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "backup.start", input);
  const data = parseReadInput(StartBackupInput, input);
  const { estimate } = await plan(data);
  return { dryRun: true as const, estimate, disk: await checkDisk(getDb(), estimate.bytes) };
}

/**
 * BACKUP from the form, the API or the CLI: a backup row (running) and the operation commit
 * together, with the audit entry; the file is written by the backup-collection function.
 */
export async function startBackup({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "backup.start", input);
  const data = await parseInput(ctx, "backup.start", StartBackupInput, input);
  const { collection, estimate } = await auditRefusals(ctx, "backup.start", { type: "collection", id: data.collectionId }, async () => {
    const planned = await plan(data);
    const disk = await checkDisk(getDb(), planned.estimate.bytes);
    if (!disk.ok) throw conflict(disk.message!, { _form: [disk.message!] });
    return planned;
  });
  const backupId = randomUUID();
  const sourceFilter = data.sources?.length ? data.sources : null;
  const operation = await startOperation(ctx, {
    action: "backup.start",
    type: "BACKUP",
    collectionId: collection.id,
    event: { name: backupRequested.name },
    afterInsert: async (tx, op) => {
      await tx.insert(backups).values({ id: backupId, collectionId: collection.id, collectionName: collection.name, operationId: op.id, kind: data.kind, vectors: data.kind === "full" && data.vectors, sourceFilter, note: data.note, status: "running", path: backupPaths(backupId).final, createdBy: ctx.actor.id });
      await emitAudit(tx, ctx, { action: "backup.start", target: { type: "collection", id: collection.id }, params: { backupId, collection: collection.name, kind: data.kind, vectors: data.vectors, sources: sourceFilter, note: data.note || undefined } });
    },
    inTransaction: async () => {
      return { params: { backupId, collection: collection.name, kind: data.kind, rateLimitMBps: data.rateLimitMBps ?? null, estimate }, reservedBytes: estimate.bytes };
    },
  });
  return { operationId: operation.id, backupId, estimate };
}
