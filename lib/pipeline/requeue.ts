import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents, type DocumentStage } from "@/db/schema/documents";
import { env } from "@/lib/env";
import { appendOperationLog } from "@/lib/services/operation/progress";
import { dispatch } from "./dispatch";
import type { OperationRef } from "./log";
import { applyStageChanges } from "./stages";

const PARSE_STAGES: DocumentStage[] = ["uploaded", "parsing", "parsed", "validated"];
const MAX_ATTEMPTS = 5;

/**
 * Failed documents come back after their backoff. Stalled ones are those still on their way when
 * no document of the operation has changed stage for STEVEDORE_STALLED_AFTER_S: while the
 * operation moves, a queued document is only waiting its turn.
 */
export async function requeueStuck(ref: OperationRef): Promise<void> {
  const { operationId } = ref;
  const db = getDb();
  const stalledBefore = new Date(Date.now() - env().STEVEDORE_STALLED_AFTER_S * 1000);
  const stuck = await db
    .select({ id: documents.id, stage: documents.stage, errorStage: documents.errorStage, attempts: documents.attempts })
    .from(documents)
    .where(
      and(
        eq(documents.operationId, operationId),
        sql`(${documents.stage} = 'failed' and ${documents.stageChangedAt} < now() - (interval '1 second' * least(300, 5 * power(2, ${documents.attempts}))))
            or (${documents.stage} not in ('failed', 'complete', 'dead')
                and (select max(d.stage_changed_at) from documents d where d.operation_id = ${operationId}) < ${stalledBefore.toISOString()}::timestamptz)`,
      ),
    )
    .limit(1000);
  if (stuck.length === 0) return;
  const now = new Date();
  const exhausted = stuck.filter((d) => d.stage === "failed" && d.attempts >= MAX_ATTEMPTS);
  await applyStageChanges(db, operationId, exhausted.map((d) => ({ id: d.id, stage: "dead", at: now, errorClass: "retries_exhausted", message: `Gave up after ${d.attempts} failed attempts.` })), ["failed"]);
  const retry = stuck.filter((d) => !exhausted.includes(d));
  const toParse = retry.filter((d) => PARSE_STAGES.includes(d.stage) || (d.stage === "failed" && (!d.errorStage || PARSE_STAGES.includes(d.errorStage as DocumentStage))));
  const toEmbed = retry.filter((d) => !toParse.includes(d));
  // Only documents still where they were found: one a batch completed meanwhile (or another
  // check requeued and finished) must not go back into the pipeline.
  const seen = (docs: typeof stuck) => [...new Set(docs.map((d) => d.stage))];
  const parse = await applyStageChanges(db, operationId, toParse.map((d) => ({ id: d.id, stage: "uploaded", at: now, errorClass: d.stage === "failed" ? "requeued" : "stalled" })), seen(toParse));
  const embed = await applyStageChanges(db, operationId, toEmbed.map((d) => ({ id: d.id, stage: "chunked", at: now, errorClass: d.stage === "failed" ? "requeued" : "stalled" })), seen(toEmbed));
  await dispatch("parse", ref, parse, `requeue-${now.getTime()}`);
  await dispatch("embed", ref, embed, `requeue-${now.getTime()}`);
  const failed = retry.filter((d) => d.stage === "failed").length;
  const why = [failed && `${failed} after a failed batch`, retry.length - failed && `${retry.length - failed} stalled for ${env().STEVEDORE_STALLED_AFTER_S} s`].filter(Boolean).join(", ");
  const gaveUp = exhausted.length ? `; ${exhausted.length} gave up after ${MAX_ATTEMPTS} attempts (dead letters)` : "";
  await appendOperationLog(operationId, "warn", `Requeued ${retry.length} document(s)${why ? ` (${why})` : ""}: ${parse.length} to parse, ${embed.length} to embed${gaveUp}.`, { parse: parse.length, embed: embed.length, dead: exhausted.length, event: "requeue" });
}
