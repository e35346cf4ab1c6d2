import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collectionVersions } from "@/db/schema/collection-versions";
import { documents } from "@/db/schema/documents";
import { loadOperation } from "@/lib/pipeline/context";
import { PermanentError } from "@/lib/pipeline/errors";
import { finishOperation, recordCheckpoint } from "@/lib/services/operation/progress";
import { formatUtc } from "@/lib/format";
import { getVectorStore } from "@/lib/vector";
import { resolvePolicy } from "./policy";
import { indexedDocuments } from "./reprocess";
import { switchToVersion } from "./versions";

export type RollbackParams = { toVersionId: string; toVersion: number; fromVersion: number | null };

async function loadRollback(operationId: string) {
  const { op, collection } = await loadOperation(operationId);
  const params = op.params as unknown as RollbackParams;
  const [target] = await getDb().select().from(collectionVersions).where(eq(collectionVersions.id, params.toVersionId));
  if (!target) throw new PermanentError(`Version ${params.toVersion} no longer exists.`);
  return { op, collection, params, target };
}

/**
 * Before a rollback moves anything: the retired version is still there, holds the points it held
 * when it was switched away from (count), has the dimension its settings say, and no document was
 * added since (it would be missing from the version).
 */
export async function validateRollback(operationId: string) {
  await recordCheckpoint(operationId, "validation", { status: "running" });
  const { collection, target } = await loadRollback(operationId);
  if (target.status !== "retired") throw new PermanentError(`Version ${target.version} is ${target.status}; only a retired version kept for rollback can be switched back to.`);
  const info = await (await getVectorStore()).collectionInfo(target.physicalName);
  if (!info) throw new PermanentError(`Version ${target.version} is missing from the vector store.`);
  const [expected] = await getDb().execute<{ n: string }>(sql`select coalesce(sum(chunk_count), 0)::bigint as n from version_documents where version_id = ${target.id}`);
  const [added] = await getDb().execute<{ n: number }>(sql`
    select count(*)::int as n from ${documents} where ${indexedDocuments(collection.id)}
      and not exists (select 1 from version_documents vd where vd.version_id = ${target.id} and vd.document_id = ${documents.id})`);
  const report = { points: info.count, expectedPoints: Number(expected?.n ?? 0), dimension: info.dimension, expectedDimension: target.dimension, documentsAddedSince: added?.n ?? 0 };
  const problems = [
    report.points !== report.expectedPoints && `version ${target.version} holds ${report.points} points where ${report.expectedPoints} are expected (documents were removed since the switch)`,
    report.dimension !== report.expectedDimension && `its vectors have ${report.dimension} dimensions, not ${report.expectedDimension}`,
    report.documentsAddedSince > 0 && `${report.documentsAddedSince} document(s) were added since the switch and are not in it`,
  ].filter(Boolean);
  if (problems.length) throw new PermanentError(`Rollback refused: ${problems.join("; ")}. Reindex instead.`);
  await recordCheckpoint(operationId, "validation", { status: "succeeded", output: report });
  return report;
}

export async function switchRollback(operationId: string) {
  await recordCheckpoint(operationId, "switch", { status: "running" });
  const { op, collection, target } = await loadRollback(operationId);
  const result = await switchToVersion({ collectionId: collection.id, toVersionId: target.id, operationId, actorId: op.requestedBy, reason: "rollback", rollbackWindowHours: resolvePolicy(collection.reindexPolicy).rollbackWindowHours });
  const output = { fromVersion: result.fromVersion, toVersion: result.toVersion, aliasMs: Math.round(result.aliasMs * 10) / 10 };
  await recordCheckpoint(operationId, "switch", { status: "succeeded", output });
  return { ...output, retired: result.retired };
}

export async function finishRollback(operationId: string, switched: Awaited<ReturnType<typeof switchRollback>>) {
  const result = { ...switched, keptVersion: switched.retired?.version ?? null, deleteAfter: switched.retired?.deleteAfter ?? null };
  await recordCheckpoint(operationId, "cleanup", { status: "succeeded", output: { keptVersion: result.keptVersion, deleteAfter: result.deleteAfter } });
  await finishOperation(operationId, { status: "succeeded", result, log: { level: "info", message: `Rolled back from version ${switched.fromVersion} to ${switched.toVersion}; version ${result.keptVersion ?? "–"} is kept until ${formatUtc(result.deleteAfter)} UTC.` } });
  return result;
}
