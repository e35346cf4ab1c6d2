import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getRun } from "@/inngest/local-executor/queries";
import { hashedSigningKey } from "@/inngest/local-executor/signing";
import { inngest } from "@/inngest/client";
import { env, inngestApiBase } from "@/lib/env";
import { emitAuditNow } from "../audit/emit";
import type { ServiceContext } from "../context";
import { notFound, ServiceError } from "../errors";
import { authorize, parseInput } from "../verb";

const RunInput = z.object({ runId: z.uuid({ message: "Unknown run." }) });

/** The REST API's credentials, as the SDK sends them: the hashed signing key (Inngest Cloud and the local executor both accept it). */
export function inngestApiHeaders(): Record<string, string> {
  const key = env().INNGEST_SIGNING_KEY;
  return key ? { authorization: `Bearer ${hashedSigningKey(key)}` } : {};
}

/**
 * Cancel through the executor's REST API (`DELETE /v1/runs/:id`, the production shape). The change
 * happens in the executor, not in our transaction, so the audit entry records the API's answer.
 */
export async function cancelRun({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.cancel", "run.cancel", input);
  const { runId } = await parseInput(ctx, "run.cancel", RunInput, input);
  const response = await fetch(`${inngestApiBase()}/v1/runs/${runId}`, {
    method: "DELETE",
    headers: inngestApiHeaders(),
    signal: AbortSignal.timeout(10_000),
  }).catch(() => null);
  const target = { type: "run", id: runId };
  if (!response || (!response.ok && response.status !== 404)) {
    await emitAuditNow(ctx, { action: "run.cancel", target, outcome: "failure", error: response ? `executor answered ${response.status}` : "executor unreachable" });
    throw new ServiceError("unavailable", "The executor did not accept the cancellation. Try again in a moment.");
  }
  if (response.status === 404) {
    await emitAuditNow(ctx, { action: "run.cancel", target, outcome: "failure", error: "run not found" });
    throw notFound("Run");
  }
  await emitAuditNow(ctx, { action: "run.cancel", target });
}

/** Rerun = replay the run's triggering event under a new id: every function it triggers runs again. */
export async function rerunRun({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "run.rerun", input);
  const { runId } = await parseInput(ctx, "run.rerun", RunInput, input);
  const run = await getRun(getDb(), runId);
  if (!run) throw notFound("Run");
  const event = run.event as { name?: string; data?: Record<string, unknown> };
  if (!event.name || event.name.startsWith("inngest/")) throw new ServiceError("conflict", "This run was started by the system (cron or failure handler) and cannot be replayed.");
  const id = `rerun-${runId}-${randomUUID()}`;
  const { ids } = await inngest.send({ id, name: event.name, data: event.data ?? {} });
  await emitAuditNow(ctx, { action: "run.rerun", target: { type: "run", id: runId }, params: { event: event.name, newEventId: ids[0] } });
  return { eventId: ids[0] ?? null };
}
