import { and, eq, notInArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { documentsSettled, embedRequested, parseRequested } from "@/inngest/events";
import { inngest } from "@/inngest/client";
import { env } from "@/lib/env";
import type { OperationRef } from "./log";

/**
 * Sends documents to a pipeline stage in events of STEVEDORE_PIPELINE_BATCH_SIZE ids. Event ids
 * come from `key`, so sending the same batches again (a step re-run after a crash) starts nothing twice.
 */
export async function dispatch(stage: "parse" | "embed", ref: OperationRef, ids: string[], key: string): Promise<number> {
  const size = env().STEVEDORE_PIPELINE_BATCH_SIZE;
  const name = stage === "parse" ? parseRequested.name : embedRequested.name;
  const { operationId, correlationId } = ref;
  const events = [];
  for (let i = 0; i < ids.length; i += size) {
    const batch = `${key}-${i / size}`;
    events.push({ id: `${operationId}:${stage}:${batch}`, name, data: { operationId, correlationId, batch, documentIds: ids.slice(i, i + size) } });
  }
  for (let i = 0; i < events.length; i += 100) await inngest.send(events.slice(i, i + 100));
  return events.length;
}

/**
 * Tells the operation's follow loop (stevedore/pipeline.documents-settled) when none of its
 * documents is still on its way, so it finishes without waiting for its next check.
 */
export async function announceIfSettled(ref: OperationRef): Promise<boolean> {
  const [busy] = await getDb()
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.operationId, ref.operationId), notInArray(documents.stage, ["complete", "dead"])))
    .limit(1);
  if (!busy) await inngest.send({ name: documentsSettled.name, data: { operationId: ref.operationId, correlationId: ref.correlationId } });
  return !busy;
}
