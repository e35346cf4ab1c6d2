import { and, desc, eq, inArray, lt, ne } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { OPERATION_STAGES, operationMetrics, operations, operationStageMetrics, type OperationMetrics } from "@/db/schema/operations";
import { can } from "@/lib/auth/rbac";
import { isOperationActive } from "@/lib/operation-status";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";
import { compareWithEarlier, comparisonChartRows, type Comparison, type RunFigures, type StageTime } from "./compare";

export const GetOperationFiguresInput = z.object({ operationId: z.string() });

/** Earlier runs compared against: the last five of the same type on the same collection that succeeded. */
const HISTORY = 5;

export type OperationFigures = {
  operation: { id: string; type: string; status: string; collectionId: string | null; startedAt: Date | null; finishedAt: Date | null };
  /** Duration is the final one once ended, else the time since the start. */
  figures: Omit<OperationMetrics, "operationId"> & { durationMs: number | null };
  stages: Array<StageTime & { calls: number; items: number }>;
  earlier: Array<RunFigures & { finishedAt: Date | null; documents: number; vectors: number }>;
  comparison: Comparison;
  chart: Array<Record<string, number | string>>;
};

const EMPTY = { durationMs: null, cpuUserMs: null, cpuSystemMs: null, peakRssBytes: null, documents: 0, chunks: 0, vectors: 0, bytes: 0, bytesRead: 0, bytesWritten: 0, embeddingCalls: 0, embeddingTokens: 0 };
const stageOrder = (a: { stage: string }, b: { stage: string }) => OPERATION_STAGES.indexOf(a.stage as never) - OPERATION_STAGES.indexOf(b.stage as never);
const withoutId = ({ operationId, ...rest }: OperationMetrics) => (void operationId, rest);
const shortDate = (d: Date | null) => (d ? d.toISOString().slice(5, 16).replace("T", " ") : "—");

/** An operation's figures (resources, counters, time by stage) and how they compare with its earlier runs. */
export async function getOperationFigures({ ctx, input }: { ctx: ServiceContext; input: { operationId: string } }): Promise<OperationFigures> {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const { operationId } = GetOperationFiguresInput.parse(input);
  if (!z.uuid().safeParse(operationId).success) throw notFound("Operation");
  const db = getDb();
  const [row] = await db.select({ op: operations, metrics: operationMetrics }).from(operations).leftJoin(operationMetrics, eq(operationMetrics.operationId, operations.id)).where(eq(operations.id, operationId));
  if (!row) throw notFound("Operation");
  const { op } = row;
  const running = isOperationActive(op.status);
  // The (collection, status, created_at) index serves this: a range read of at most a few rows past the type's.
  const earlierOps = op.collectionId
    ? await db
        .select({ id: operations.id, createdAt: operations.createdAt, finishedAt: operations.finishedAt, durationMs: operationMetrics.durationMs, documents: operationMetrics.documents, vectors: operationMetrics.vectors })
        .from(operations)
        .leftJoin(operationMetrics, eq(operationMetrics.operationId, operations.id))
        .where(and(eq(operations.collectionId, op.collectionId), eq(operations.status, "succeeded"), eq(operations.type, op.type), ne(operations.id, op.id), lt(operations.createdAt, op.createdAt)))
        .orderBy(desc(operations.createdAt), desc(operations.id))
        .limit(HISTORY)
    : [];
  const ids = [op.id, ...earlierOps.map((e) => e.id)];
  const stageRows = await db.select().from(operationStageMetrics).where(inArray(operationStageMetrics.operationId, ids));
  const stagesOf = (id: string) => stageRows.filter((s) => s.operationId === id).map((s) => ({ stage: s.stage, totalMs: s.totalMs, calls: s.calls, items: s.items })).sort(stageOrder);

  const stored = withoutId(row.metrics ?? { operationId, ...EMPTY });
  const durationMs = stored.durationMs ?? (op.startedAt ? Date.now() - op.startedAt.getTime() : null);
  const stages = stagesOf(op.id);
  const current: RunFigures = { operationId: op.id, label: "this run", durationMs, stages };
  const earlier = earlierOps.map((e) => ({ operationId: e.id, label: shortDate(e.finishedAt ?? e.createdAt), finishedAt: e.finishedAt, durationMs: e.durationMs, documents: e.documents ?? 0, vectors: e.vectors ?? 0, stages: stagesOf(e.id) }));
  return {
    operation: { id: op.id, type: op.type, status: op.status, collectionId: op.collectionId, startedAt: op.startedAt, finishedAt: op.finishedAt },
    figures: { ...stored, durationMs },
    stages,
    earlier,
    comparison: compareWithEarlier(current, earlier, { kind: op.type.toLowerCase().replaceAll("_", " "), running }),
    chart: comparisonChartRows(current, earlier),
  };
}
