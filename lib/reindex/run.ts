import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db/client";
import { collectionVersions, goldenQueries } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { documents, documentTexts } from "@/db/schema/documents";
import { operations, operationSteps } from "@/db/schema/operations";
import { getEmbedder, parseEmbeddingModel } from "@/lib/embeddings";
import { APPROVAL_TIMED_OUT, REJECTED } from "@/lib/operation-status";
import { chunkText } from "@/lib/ingest/chunk";
import { loadOperation } from "@/lib/pipeline/context";
import { PermanentError } from "@/lib/pipeline/errors";
import { physicalName } from "@/lib/pipeline/target";
import { checkDisk } from "@/lib/resources/disk";
import { StageTally } from "@/lib/observability/stage-tally";
import { appendOperationLog, finishOperation, recordCheckpoint } from "@/lib/services/operation/progress";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
import { formatUtc } from "@/lib/format";
import { getVectorStore } from "@/lib/vector";
import { loadReindex, type ReindexParams } from "./params";
import { resolvePolicy } from "./policy";
import { indexedDocuments, reprocessBatches } from "./reprocess";
import { validateStaging, type ValidationQuery } from "./validate";
import { activeVersionOf, dropVersion, keepLiveChunkCounts, nextVersionNumber, switchToVersion } from "./versions";

/** Sample queries drawn from the collection's own documents for validation. */
const SAMPLE_QUERIES = 20;
const GOLDEN_LIMIT = 100;

/** The settings still make sense now (the embedder may have been reconfigured since the form) and the disk still holds. */
export async function preflightReindex(operationId: string) {
  await recordCheckpoint(operationId, "preflight", { status: "running" });
  const { op, collection } = await loadOperation(operationId);
  const params = op.params as unknown as ReindexParams;
  const spec = parseEmbeddingModel(params.settings.embeddingModel);
  const dimension = getEmbedder(params.settings.embeddingModel).dimension;
  if (dimension !== params.settings.dimension) throw new PermanentError(`The embedder ${params.settings.embeddingModel} now gives ${dimension} dimensions, not ${params.settings.dimension}.`);
  const disk = await checkDisk(getDb(), 0, operationId);
  if (!disk.ok) throw new PermanentError(disk.message ?? "Not enough disk.");
  const live = await activeVersionOf(collection.id);
  if (!live) throw new PermanentError("The collection has no live version to reindex: index a source first.");
  await getDb().update(collections).set({ status: "busy" }).where(eq(collections.id, collection.id));
  const output = { embedder: spec.kind, dimension, liveVersion: live.version, reservedBytes: op.reservedBytes, freeBytes: disk.free };
  await recordCheckpoint(operationId, "preflight", { status: "succeeded", output });
  return output;
}

/** Version n+1 in the store and in PostgreSQL, as `staging`; a retried step finds the one it made. */
export async function createStaging(operationId: string) {
  await recordCheckpoint(operationId, "staging", { status: "running" });
  const db = getDb();
  const { op, collection } = await loadOperation(operationId);
  const params = op.params as unknown as ReindexParams;
  let [staging] = await db.select().from(collectionVersions).where(and(eq(collectionVersions.operationId, operationId), eq(collectionVersions.status, "staging")));
  if (!staging) {
    const version = await nextVersionNumber(collection.id);
    [staging] = await db
      .insert(collectionVersions)
      .values({ collectionId: collection.id, version, physicalName: physicalName(collection.name, version), status: "staging", operationId, ...params.settings })
      .returning();
  }
  // A store left with a collection of that name by an earlier, crashed attempt is reused: its
  // points carry deterministic ids and the position on the row says where to go on from.
  await (await getVectorStore()).createCollection(staging!.physicalName, { dimension: staging!.dimension, distance: staging!.distance, layout: collection.vectorLayout });
  const live = await activeVersionOf(collection.id);
  await db
    .update(operations)
    .set({ params: sql`${operations.params} || ${JSON.stringify({ stagingVersionId: staging!.id, fromVersion: live?.version ?? null })}::jsonb` })
    .where(eq(operations.id, operationId));
  const output = { version: staging!.version, physicalName: staging!.physicalName };
  await recordCheckpoint(operationId, "staging", { status: "succeeded", output });
  await recordCheckpoint(operationId, "reprocessing", { status: "running" });
  return output;
}

/** One reprocessing step (see reprocessBatches); the checkpoint ends with the last. */
export async function reprocessStep(operationId: string) {
  const result = await reprocessBatches(operationId);
  if (result.done) {
    const { staging } = await loadReindex(operationId);
    // Documents written more than once: those of a batch in flight when a run was interrupted.
    const [again] = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from version_documents where version_id = ${staging.id} and writes > 1`);
    await recordCheckpoint(operationId, "reprocessing", { status: "succeeded", output: { documents: staging.documentsDone, points: staging.pointsWritten, rewritten: again?.n ?? 0 } });
  }
  return result;
}

/** Queries drawn from the documents (a piece of one document's text, expecting that document) plus the golden ones. */
async function validationQueries(collectionId: string, operationId: string): Promise<ValidationQuery[]> {
  const db = getDb();
  const sample = await db
    .select({ id: documents.id, path: documents.path, text: documentTexts.text })
    .from(documents)
    .innerJoin(documentTexts, eq(documentTexts.documentId, documents.id))
    .where(indexedDocuments(collectionId))
    .orderBy(sql`md5(${documents.id}::text || ${operationId})`)
    .limit(SAMPLE_QUERIES);
  const queries: ValidationQuery[] = [];
  for (const doc of sample) {
    const pieces = chunkText(doc.text, { size: 200, overlap: 0 });
    const piece = pieces[Math.floor(pieces.length / 2)];
    if (piece && piece.text.trim().length >= 20) queries.push({ text: piece.text, expected: [doc.id], kind: "sample", label: doc.path });
  }
  const golden = await db.select().from(goldenQueries).where(eq(goldenQueries.collectionId, collectionId)).limit(GOLDEN_LIMIT);
  // Expected documents removed since the query was written cannot be found by either version.
  const wanted = [...new Set(golden.flatMap((g) => g.expectedDocumentIds))];
  const present = new Set(wanted.length ? (await db.select({ id: documents.id }).from(documents).where(and(indexedDocuments(collectionId), inArray(documents.id, wanted)))).map((d) => d.id) : []);
  for (const g of golden) {
    const expected = g.expectedDocumentIds.filter((id) => present.has(id));
    if (expected.length) queries.push({ text: g.query, expected, kind: "golden" });
  }
  return queries;
}

/**
 * The validation gates. A failure gives the staging version up and fails the operation with the
 * report. The report lives on the checkpoint; the step returns only the verdict (run state stays small).
 */
export async function validateReindex(operationId: string): Promise<{ passed: boolean }> {
  await recordCheckpoint(operationId, "validation", { status: "running" });
  const { collection, staging } = await loadReindex(operationId);
  const live = await activeVersionOf(collection.id);
  if (!live) throw new PermanentError("The collection lost its live version during the reindex.");
  const store = await getVectorStore();
  await store.optimize(staging.physicalName);
  const [expected] = await getDb().execute<{ n: string }>(sql`select coalesce(sum(chunk_count), 0)::bigint as n from version_documents where version_id = ${staging.id}`);
  const tally = new StageTally();
  const queries = await validationQueries(collection.id, operationId);
  const report = await tally.time("validate", queries.length, () => validateStaging({
    store,
    live: { name: live.physicalName, embedder: getEmbedder(live.embeddingModel) },
    staging: { name: staging.physicalName, embedder: getEmbedder(staging.embeddingModel) },
    expectedPoints: Number(expected?.n ?? 0),
    expectedDimension: staging.dimension,
    queries,
    thresholds: resolvePolicy(collection.reindexPolicy),
    scoresMoveBecause:
      live.embeddingModel !== staging.embeddingModel
        ? "the embedding model changes, so scores are on another scale"
        : live.chunkSize !== staging.chunkSize || live.chunkOverlap !== staging.chunkOverlap
          ? "the chunking changes, so each chunk matches a query differently"
          : live.distance !== staging.distance
            ? "the distance changes, so scores are on another scale"
            : null,
  }));
  await getDb().transaction(async (tx) => {
    await tx.update(collectionVersions).set({ pointCount: report.points }).where(eq(collectionVersions.id, staging.id));
    await recordStageTally(tx, operationId, tally, { replace: true });
  });
  if (report.passed) {
    // The live version's counts, kept for a rollback now rather than inside the switch (see switchToVersion).
    await keepLiveChunkCounts(collection.id, staging.id);
    await recordCheckpoint(operationId, "validation", { status: "succeeded", output: report });
    return { passed: true };
  }
  const failed = report.gates.filter((g) => !g.passed);
  const reason = `Validation failed: ${failed.map((g) => `${g.name} (${g.detail}; needs ${g.threshold})`).join("; ")}. The live version was not touched.`;
  await recordCheckpoint(operationId, "validation", { status: "failed", output: report, error: reason });
  await abandonStaging(operationId);
  await appendOperationLog(operationId, "error", reason);
  await finishOperation(operationId, { status: "failed", error: reason, result: { validation: report } });
  return { passed: false };
}

/** The approval checkpoint: the operation waits, saying so, until a decision or the deadline. */
export async function awaitApproval(operationId: string): Promise<{ deadline: string }> {
  const db = getDb();
  const { collection } = await loadOperation(operationId);
  const step = await approvalCheckpoint(operationId, db);
  const known = step?.output.deadline;
  const deadline = known ?? new Date(Date.now() + resolvePolicy(collection.reindexPolicy).approvalTimeoutHours * 3600_000).toISOString();
  // The operation waits before the checkpoint says so: whoever sees "approval running" may decide.
  await db
    .update(operations)
    .set({ status: "waiting", statusMessage: `Awaiting approval (until ${deadline.slice(0, 16).replace("T", " ")} UTC): validation passed; approve or reject on this page.` })
    .where(and(eq(operations.id, operationId), sql`${operations.status} in ('running', 'waiting')`));
  if (!known) await recordCheckpoint(operationId, "approval", { status: "running", output: { deadline } });
  return { deadline };
}

/** The approval checkpoint's row: its deadline, and the decision the approve / reject verb wrote on it. */
export async function approvalCheckpoint(operationId: string, db: Executor = getDb()) {
  const [step] = await db.select().from(operationSteps).where(and(eq(operationSteps.operationId, operationId), eq(operationSteps.name, "approval")));
  return step ? { ...step, output: (step.output ?? {}) as { deadline?: string; decision?: Decision } } : null;
}

export type Decision = { decision: "approve" | "reject" | "timeout"; actor: string; actorId: string | null; comment: string; at: string };

/** The decision recorded by the approve / reject verb, if any. */
export async function recordedDecision(operationId: string): Promise<Decision | null> {
  const step = await approvalCheckpoint(operationId);
  return step?.output.decision ?? null;
}

/** After the wait: an approval goes on to the switch; a rejection or the deadline gives the staging version up. */
export async function concludeApproval(operationId: string, decision: Decision | null): Promise<{ approved: boolean }> {
  const final: Decision = decision ?? { decision: "timeout", actor: "system", actorId: null, comment: "No decision before the deadline.", at: new Date().toISOString() };
  const step = await approvalCheckpoint(operationId);
  const output = { ...step?.output, decision: final };
  if (final.decision === "approve") {
    await recordCheckpoint(operationId, "approval", { status: "succeeded", output });
    await getDb().update(operations).set({ status: "running", statusMessage: null }).where(and(eq(operations.id, operationId), eq(operations.status, "waiting")));
    return { approved: true };
  }
  const error = final.decision === "timeout" ? "Not approved in time: the staging version was deleted; the live version was not touched." : `Rejected by ${final.actor}${final.comment ? `: “${final.comment}”` : ""}. The staging version was deleted; the live version was not touched.`;
  await recordCheckpoint(operationId, "approval", { status: "failed", output, error });
  await abandonStaging(operationId);
  await finishOperation(operationId, { status: "failed", error, result: { decision: final, outcome: final.decision === "timeout" ? APPROVAL_TIMED_OUT : REJECTED } });
  return { approved: false };
}

/** The switch checkpoint: the alias moves, the old version is kept for the rollback window. */
export async function switchReindex(operationId: string) {
  await recordCheckpoint(operationId, "switch", { status: "running" });
  const { op, collection, staging } = await loadReindex(operationId);
  const policy = resolvePolicy(collection.reindexPolicy);
  const decision = await recordedDecision(operationId);
  const tally = new StageTally();
  const result = await tally.time("switch", 1, () => switchToVersion({ collectionId: collection.id, toVersionId: staging.id, operationId, actorId: decision?.actorId ?? op.requestedBy, reason: "reindex", rollbackWindowHours: policy.rollbackWindowHours, liveCountsKept: true }));
  await recordStageTally(getDb(), operationId, tally, { replace: true });
  const output = { fromVersion: result.fromVersion, toVersion: result.toVersion, aliasMs: Math.round(result.aliasMs * 10) / 10 };
  await recordCheckpoint(operationId, "switch", { status: "succeeded", output });
  return { ...output, retired: result.retired };
}

/** The cleanup checkpoint (the old version's deletion is scheduled) and the operation's end. */
export async function finishReindex(operationId: string, switched: Awaited<ReturnType<typeof switchReindex>>) {
  const { collection, staging } = await loadReindex(operationId);
  const cleanup = switched.retired ? { keptVersion: switched.retired.version, deleteAfter: switched.retired.deleteAfter } : { keptVersion: null };
  await recordCheckpoint(operationId, "cleanup", { status: "succeeded", output: cleanup });
  const [validation] = await getDb().select({ output: operationSteps.output }).from(operationSteps).where(and(eq(operationSteps.operationId, operationId), eq(operationSteps.name, "validation")));
  const result = { fromVersion: switched.fromVersion, toVersion: switched.toVersion, documents: staging.documentsDone, points: staging.pointCount, ...cleanup, validation: validation?.output ?? null };
  await finishOperation(operationId, {
    status: "succeeded",
    result,
    metrics: { documents: staging.documentsDone, chunks: staging.pointsWritten, vectors: staging.pointCount },
    log: { level: "info", message: `Switched ${collection.name} from version ${switched.fromVersion} to ${switched.toVersion}: ${staging.documentsDone} documents, ${staging.pointCount} points. Version ${cleanup.keptVersion ?? "–"} is kept for rollback${"deleteAfter" in cleanup ? ` until ${formatUtc(cleanup.deleteAfter)} UTC` : ""}.` },
  });
  return result;
}

/**
 * A reindex that stops before its switch (failed gate, rejection, cancel, error) gives its staging
 * version up: nothing of it stays in the store, and the live version was never touched.
 */
export async function abandonStaging(operationId: string): Promise<void> {
  const db = getDb();
  const staged = await db.select({ id: collectionVersions.id }).from(collectionVersions).where(and(eq(collectionVersions.operationId, operationId), eq(collectionVersions.status, "staging")));
  for (const v of staged) await dropVersion(v.id, "failed", ["staging"]);
  const [op] = await db.select({ collectionId: operations.collectionId }).from(operations).where(eq(operations.id, operationId));
  if (op?.collectionId) await db.update(collections).set({ status: "ready" }).where(and(eq(collections.id, op.collectionId), eq(collections.status, "busy")));
}
