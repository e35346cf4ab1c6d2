import { eventType } from "inngest";
import { z } from "zod";

/** Typed events of Stevedore's functions. Names: `stevedore/<entity>.<verb-past>`. */

/** Every operation event carries the operation's correlation id, so one id finds all it did (logs, runs). */
const operationRef = { operationId: z.string().min(1), correlationId: z.string().optional() };

export const selfTestRequested = eventType("stevedore/selftest.requested", {
  schema: z.object(operationRef),
});

/** Cancels a running operation's function (cancelOn matches data.operationId) and starts its clean-up. */
export const operationCancelRequested = eventType("stevedore/operation.cancel-requested", {
  schema: z.object(operationRef),
});

const scanTotals = z.object({ files: z.number(), queued: z.number(), unchanged: z.number(), duplicates: z.number(), batches: z.number() });

/**
 * Where a run of a long function left off, so the next run (started by this same event name) goes
 * on from there: a run stays far below Inngest's 1,000 steps. Only a cursor and counts, never bulk data.
 */
const continuation = z.object({
  n: z.number().int().min(1),
  phase: z.enum(["turn", "scan", "follow", "remove", "reprocess", "approval"]),
  cursor: z.string().nullable().optional(),
  slice: z.number().int().min(0).optional(),
  scan: scanTotals.optional(),
  removed: z.number().optional(),
  points: z.number().optional(),
  total: z.number().optional(),
});
export type Continuation = z.infer<typeof continuation>;

/** INDEX and APPEND: scan a source and feed its new and changed documents through the pipeline. */
export const sourceIndexRequested = eventType("stevedore/source.index-requested", {
  schema: z.object({ ...operationRef, continuation: continuation.optional() }),
});

/** REMOVE_SOURCE: delete a source's points and documents in batches. */
export const sourceRemoveRequested = eventType("stevedore/source.remove-requested", {
  schema: z.object({ ...operationRef, continuation: continuation.optional() }),
});

/** REINDEX: build the next version from the kept texts, validate it, maybe wait for approval, switch. */
export const reindexRequested = eventType("stevedore/collection.reindex-requested", {
  schema: z.object({ ...operationRef, continuation: continuation.optional() }),
});

/** BACKUP: write the collection's backup file. */
export const backupRequested = eventType("stevedore/collection.backup-requested", {
  schema: z.object({ ...operationRef, continuation: continuation.optional() }),
});

/** VERIFY_BACKUP: re-read a backup's file whole and keep the verdict. */
export const backupVerifyRequested = eventType("stevedore/backup.verify-requested", {
  schema: z.object(operationRef),
});

/** RESTORE: a backup into a staging version of the target, proven whole, then switched to. */
export const restoreRequested = eventType("stevedore/backup.restore-requested", {
  schema: z.object({ ...operationRef, continuation: continuation.optional() }),
});

/** CLEAR: back up first if asked, then empty the collection, keeping its settings and sources. */
export const clearRequested = eventType("stevedore/collection.clear-requested", {
  schema: z.object({ ...operationRef, continuation: continuation.optional() }),
});

/** A schedule's restore drill slot came: restore the latest backup into a scratch collection and query it. */
export const drillRequested = eventType("stevedore/backup.drill-requested", {
  schema: z.object({ scheduleId: z.string().min(1), collectionId: z.string().min(1), slot: z.string() }),
});

/** An operator's answer to a reindex awaiting approval. */
export const reindexDecided = eventType("stevedore/reindex.decided", {
  schema: z.object({ operationId: z.string().min(1), decision: z.enum(["approve", "reject"]), actorId: z.string().nullable(), actor: z.string(), comment: z.string() }),
});

/** ROLLBACK: point the alias back at the retired version. */
export const rollbackRequested = eventType("stevedore/collection.rollback-requested", {
  schema: z.object({ ...operationRef, continuation: continuation.optional() }),
});

/** A version was retired by a switch: it is dropped at `deleteAfter` unless kept or switched back to. */
export const versionRetired = eventType("stevedore/version.retired", {
  schema: z.object({ versionId: z.string().min(1), deleteAfter: z.string() }),
});

const batchSchema = z.object({ ...operationRef, batch: z.string().min(1), documentIds: z.array(z.string()).min(1) });

/** Pipeline stage 1: parse → validate → chunk one batch of documents. */
export const parseRequested = eventType("stevedore/pipeline.parse-requested", { schema: batchSchema });

/** Pipeline stage 2: embed → store one batch of chunked documents. */
export const embedRequested = eventType("stevedore/pipeline.embed-requested", { schema: batchSchema });

/** A pipeline batch left none of its operation's documents in progress: the operation can finish now. */
export const documentsSettled = eventType("stevedore/pipeline.documents-settled", {
  schema: z.object(operationRef),
});

/** An operation ended (succeeded, failed or cancelled): the next one queued on its collection may start. */
export const collectionReleased = eventType("stevedore/collection.released", {
  schema: z.object({ collectionId: z.string().min(1), operationId: z.string().min(1) }),
});

/** Sent by the executor when a run is cancelled (cancelOn, the cancel API, the Runs page). */
export const FUNCTION_CANCELLED = "inngest/function.cancelled";

/** Tell one channel of an alert's firing or resolution; one event per (alert, firing, kind, channel), its id deterministic. */
/** `group`: several alerts of one rule that changed in the same evaluation, told in one message (alertId / fireCount are its first). */
/** `userId` instead of `channelId`: a user named by an escalation level, emailed at their account address. */
export const alertNotifyRequested = eventType("stevedore/alert.notify-requested", {
  schema: z
    .object({
      alertId: z.string().min(1),
      channelId: z.string().min(1).optional(),
      userId: z.string().min(1).optional(),
      kind: z.enum(["firing", "resolved"]),
      fireCount: z.number().int().min(0),
      group: z.array(z.object({ alertId: z.string().min(1), fireCount: z.number().int().min(0) })).max(500).optional(),
    })
    .refine((d) => !d.channelId !== !d.userId, { message: "A channel or a user, one of the two." }),
});

/** An operator took an alert's firing (`fireCount`) in hand: its escalation stops. */
export const alertAcknowledged = eventType("stevedore/alert.acknowledged", {
  schema: z.object({ alertId: z.string().min(1), fireCount: z.number().int().min(0), by: z.string() }),
});

/** Escalate one firing of an alert through its rule's policy, level by level, until it is acknowledged or resolves. */
export const alertEscalationRequested = eventType("stevedore/alert.escalation-requested", {
  /** `repeatFrom`: a run chained after the last one's 100 repeats of the last level; it goes on from that repeat, skipping the levels. */
  /** `group`: alerts of one rule that fired in the same evaluation, escalated together, one message per level (alertId / fireCount are its first). */
  schema: z.object({
    alertId: z.string().min(1),
    fireCount: z.number().int().min(1),
    policyId: z.string().min(1),
    repeatFrom: z.number().int().min(1).optional(),
    group: z.array(z.object({ alertId: z.string().min(1), fireCount: z.number().int().min(1) })).max(500).optional(),
  }),
});

/** A silence was created or its end moved: its reminder (remind-silence) is due 30 min before `endsAt` when it is long. */
export const silenceScheduled = eventType("stevedore/silence.scheduled", {
  schema: z.object({ silenceId: z.string().min(1), startsAt: z.string().min(1), endsAt: z.string().min(1) }),
});
