import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { env } from "@/lib/env";
import { StageTally } from "@/lib/observability/stage-tally";
import { realSourceRoot } from "@/lib/sources/resolve";
import { appendOperationLog } from "@/lib/services/operation/progress";
import { recordStageTally } from "@/lib/services/operation/stage-metrics";
import { runTask } from "@/lib/workers/pool";
import { isCancelled, loadOperation, loadSource } from "./context";
import { dispatch } from "./dispatch";
import type { OperationRef } from "./log";
import { publishProgress, publishProgressThrottled } from "./progress";
import { registerFiles, type ScanResult } from "./register";

/** Files listed and hashed per worker call, and registered per transaction. */
const FLUSH = 500;
/** Files one scan step walks at most (it also stops after STEVEDORE_STEP_TIME_BUDGET_MS). */
const SLICE_FILES = 4 * FLUSH;

export const EMPTY_SCAN: ScanResult = { files: 0, queued: 0, unchanged: 0, duplicates: 0, batches: 0 };

/** Where a scan stands between its steps: the last path walked (in walk order) and the totals so far. Small by design. */
export type ScanSlice = { cursor: string | null; done: boolean; cancelled: boolean; totals: ScanResult };

const add = (a: ScanResult, b: Partial<ScanResult>): ScanResult => ({
  files: a.files + (b.files ?? 0),
  queued: a.queued + (b.queued ?? 0),
  unchanged: a.unchanged + (b.unchanged ?? 0),
  duplicates: a.duplicates + (b.duplicates ?? 0),
  batches: a.batches + (b.batches ?? 0),
});

/**
 * One bounded step of a source's scan: walks on from `cursor` (at most SLICE_FILES files, within
 * the step time budget), registers what it walks (see registerFiles) and hands the queued
 * documents to the pipeline as it goes, so parsing starts while the scan goes on. Batch event ids
 * come from the walk position, so a step re-run after a crash starts no batch twice.
 */
export async function scanSourceSlice(ref: OperationRef, from: { cursor: string | null; totals: ScanResult }): Promise<ScanSlice> {
  const { operationId } = ref;
  const { op, collection, params } = await loadOperation(operationId);
  if (isCancelled(op)) return { cursor: from.cursor, done: false, cancelled: true, totals: from.totals };
  if (params.retry) return scanRetry(ref);
  const source = await loadSource(params.sourceId);
  const root = await realSourceRoot(source);
  const maxBytes = env().STEVEDORE_MAX_FILE_BYTES;
  const until = Date.now() + env().STEVEDORE_STEP_TIME_BUDGET_MS;
  let totals = from.totals;
  let cursor = from.cursor;
  let walkedHere = 0;
  let sending = Promise.resolve();
  // Written once, at the slice's end: a slice repeated after a crash walks (and counts) its stretch again.
  const tally = new StageTally();

  // Listed and hashed in a worker thread ahead of the pipeline's own tasks (every stage waits for
  // what the scan registers); the next stretch is walked while this one is registered.
  const walk = (after: string | null) => {
    const next = tally.time("scan", 0, () => runTask("scanAfter", { root, after, maxBytes, limit: FLUSH, maxMs: Math.max(1000, until - Date.now()) }, { urgent: true }));
    next.catch(() => undefined); // awaited below, unless a flush fails first and the step retries
    return next;
  };
  let next: ReturnType<typeof walk> | null = walk(cursor);
  let done = false;
  while (next) {
    const walked: Awaited<ReturnType<typeof walk>> = await next;
    const startedAt = cursor;
    cursor = walked.last;
    done = walked.done;
    walkedHere += walked.files.length;
    tally.stages.get("scan")!.items += walked.files.length;
    for (const f of walked.files) if (f.hash) tally.counters.bytesRead += f.size;
    next = !done && walkedHere < SLICE_FILES && Date.now() < until ? walk(cursor) : null;
    const registered = await registerFiles(operationId, collection, source, walked.files);
    if (registered.cancelled) {
      await sending.catch(() => undefined);
      await recordStageTally(getDb(), operationId, tally);
      return { cursor: startedAt, done: false, cancelled: true, totals };
    }
    totals = add(totals, { files: walked.files.length, ...registered.counts });
    const key = `scan-${createHash("sha1").update(`${startedAt ?? ""}\n${cursor ?? ""}`).digest("hex").slice(0, 16)}`;
    sending = sending.then(async () => {
      const batches = await dispatch("parse", ref, registered.queued, key);
      totals = add(totals, { batches }); // read after the send: the walk adds to totals meanwhile
    });
    sending.catch(() => undefined); // awaited after the walk, unless a flush fails first and the step retries
    await publishProgressThrottled(operationId);
  }
  await sending;
  await recordStageTally(getDb(), operationId, tally);
  await publishProgress(operationId);
  if (done) {
    await appendOperationLog(operationId, "info", `Scanned ${totals.files} files: ${totals.queued} to process (in ${totals.batches} batches), ${totals.unchanged} unchanged, ${totals.duplicates} duplicates.`, { ...totals, correlationId: ref.correlationId });
  }
  return { cursor, done, cancelled: false, totals };
}

/** A retry was queued by its verb: nothing to walk, its documents are already registered. */
async function scanRetry(ref: OperationRef): Promise<ScanSlice> {
  const ids = (
    await getDb()
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.operationId, ref.operationId), eq(documents.stage, "uploaded")))
      .orderBy(documents.path)
  ).map((r) => r.id);
  const totals = { ...EMPTY_SCAN, queued: ids.length, batches: await dispatch("parse", ref, ids, "retry") };
  return { cursor: null, done: true, cancelled: false, totals };
}

/** The whole scan, slice after slice (what the INDEX function does step by step); for scripts and tests. */
export async function registerSourceDocuments(operationId: string): Promise<ScanResult> {
  let slice: ScanSlice = { cursor: null, done: false, cancelled: false, totals: EMPTY_SCAN };
  while (!slice.done && !slice.cancelled) slice = await scanSourceSlice({ operationId }, slice);
  return slice.totals;
}
