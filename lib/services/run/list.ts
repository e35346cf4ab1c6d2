import { z } from "zod";
import { getDb } from "@/db/client";
import { EXECUTOR_RUN_STATUSES } from "@/db/schema/executor";
import { getRun, isRunCursor, listRuns } from "@/inngest/local-executor/queries";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden, notFound, ServiceError } from "../errors";
import { publicError, withoutStacks } from "./public-error";
import { CURSOR_MESSAGE, parseReadInput } from "../verb";

const empty = (v: unknown) => (v === "" ? undefined : v);
export const ListRunsInput = z.object({
  status: z.preprocess(empty, z.enum(EXECUTOR_RUN_STATUSES).optional()),
  functionId: z.preprocess(empty, z.string().max(200).optional()),
  operationId: z.preprocess(empty, z.uuid().optional()),
  from: z.preprocess(empty, z.coerce.date().optional()),
  to: z.preprocess(empty, z.coerce.date().optional()),
  cursor: z.preprocess(empty, z.string().max(200).optional()),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Runs recorded by the local executor (with an external Inngest server, its own dashboard has them). Errors: class and message only. */
export async function listExecutorRuns({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const filter = parseReadInput(ListRunsInput, input ?? {});
  if (filter.cursor && !isRunCursor(filter.cursor)) throw new ServiceError("invalid", "Some fields are invalid.", { cursor: [CURSOR_MESSAGE] });
  const page = await listRuns(getDb(), filter);
  return { ...page, runs: page.runs.map((r) => ({ ...r, error: publicError(r.error) })) };
}

export async function getExecutorRun({ ctx, input }: { ctx: ServiceContext; input: { runId: string } }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  if (!z.uuid().safeParse(input.runId).success) throw notFound("Run");
  const run = await getRun(getDb(), input.runId);
  if (!run) throw notFound("Run");
  return {
    ...run,
    error: publicError(run.error),
    output: withoutStacks(run.output),
    steps: run.steps.map((s) => ({ ...s, error: publicError(s.error), output: withoutStacks(s.output) })),
  };
}
