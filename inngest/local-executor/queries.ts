import { and, asc, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { executorRuns, executorSteps, type ExecutorRunStatus } from "../../db/schema/executor";

/** Any drizzle PostgreSQL database or transaction (the app's `getDb()` or the executor's own). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = PgDatabase<PgQueryResultHKT, any, any>;

/** What the run used of Inngest's limits (see usage-limits.ts): the executor fails a run past one. */
export type RunUsageView = { steps: number; stateBytes: number; maxStepOutputBytes: number; eventBytes: number };

export type RunSummary = {
  id: string;
  /** The most attempts any step of the run needed (1 = nothing was retried). */
  attempts: number;
  functionId: string;
  status: ExecutorRunStatus;
  eventName: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  error: Record<string, unknown> | null;
  usage: RunUsageView;
};

export type RunStepView = {
  hash: string;
  stepId: string | null;
  name: string | null;
  op: string;
  status: string;
  attempts: number;
  position: number | null;
  startedAt: Date;
  endedAt: Date | null;
  output: unknown;
  error: Record<string, unknown> | null;
};

export type RunDetail = RunSummary & { event: Record<string, unknown>; output: unknown; parentRunId: string | null; steps: RunStepView[] };

export type ListRunsInput = {
  status?: ExecutorRunStatus | ExecutorRunStatus[];
  functionId?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  /** Runs whose triggering event carries this `data.operationId`. */
  operationId?: string;
  /** The `nextCursor` of the previous page. */
  cursor?: string | null;
};

// The cursor carries created_at in whole microseconds: a JS Date (milliseconds) would skip or repeat rows.
const createdMicros = sql<string>`(extract(epoch from ${executorRuns.createdAt}) * 1000000)::bigint::text`;
const stepAttempts = sql<number>`coalesce((select max(s.attempts) from ${executorSteps} s where s.run_id = ${executorRuns.id}), 1)::int`;

/** Whether a cursor is one `listRuns` handed out (a stale or hand-made one is refused, not ignored). */
export const isRunCursor = (cursor: string) => decodeCursor(cursor) !== null;

function decodeCursor(cursor: string): { micros: string; id: string } | null {
  const [micros, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  return micros && /^\d{1,19}$/.test(micros) && id && /^[0-9a-f-]{36}$/i.test(id) ? { micros, id } : null;
}

function summary(r: typeof executorRuns.$inferSelect, attempts = 1): RunSummary {
  const name = (r.event as { name?: unknown }).name;
  return {
    id: r.id,
    attempts: Math.max(attempts, 1),
    functionId: r.functionId,
    status: r.status,
    eventName: typeof name === "string" ? name : null,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    error: r.error ?? null,
    usage: { steps: r.stepCount, stateBytes: r.stateBytes, maxStepOutputBytes: r.maxStepOutputBytes, eventBytes: r.eventBytes },
  };
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listRuns(db: AnyDb, input: ListRunsInput = {}): Promise<{ runs: RunSummary[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
  const where: SQL[] = [];
  if (input.status) {
    const statuses = Array.isArray(input.status) ? input.status : [input.status];
    const conds = statuses.map((s) => eq(executorRuns.status, s));
    const any = conds.length === 1 ? conds[0] : or(...conds);
    if (any) where.push(any);
  }
  if (input.functionId) where.push(eq(executorRuns.functionId, input.functionId));
  if (input.from) where.push(gte(executorRuns.createdAt, input.from));
  if (input.to) where.push(lt(executorRuns.createdAt, input.to));
  if (input.operationId) where.push(sql`${executorRuns.event} -> 'data' ->> 'operationId' = ${input.operationId}`);
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  if (cursor) where.push(sql`(${executorRuns.createdAt}, ${executorRuns.id}) < (timestamptz 'epoch' + ${cursor.micros}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`);
  const rows = await db
    .select({ run: executorRuns, micros: createdMicros, attempts: stepAttempts })
    .from(executorRuns)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(executorRuns.createdAt), desc(executorRuns.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? Buffer.from(`${last.micros}|${last.run.id}`).toString("base64url") : null;
  return { runs: page.map((r) => summary(r.run, r.attempts)), nextCursor };
}

/** One run with its steps in execution order (memoized first by stack position, then pending). */
export async function getRun(db: AnyDb, runId: string): Promise<RunDetail | null> {
  const [run] = await db.select().from(executorRuns).where(eq(executorRuns.id, runId)).limit(1);
  if (!run) return null;
  const steps = await db.select().from(executorSteps).where(eq(executorSteps.runId, runId)).orderBy(asc(executorSteps.startedAt), asc(executorSteps.position));
  steps.sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER));
  return {
    ...summary(run, Math.max(1, ...steps.map((s) => s.attempts))),
    event: run.event,
    output: run.output ?? null,
    parentRunId: run.parentRunId,
    steps: steps.map((s) => {
      const memo = s.memo as { type?: string; data?: unknown } | null;
      return {
        hash: s.hash,
        stepId: s.stepId,
        name: s.name,
        op: s.op,
        status: s.status,
        attempts: s.attempts,
        position: s.position,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        output: memo && memo.type === "data" ? memo.data : null,
        error: s.error ?? null,
      };
    }),
  };
}
