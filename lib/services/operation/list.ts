import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { OPERATION_TYPES, operationLogs, operationMetrics, operations, operationSteps } from "@/db/schema/operations";
import { users } from "@/db/schema/users";
import { can } from "@/lib/auth/rbac";
import { OPERATION_STATUS_FILTERS, SUCCEEDED_WITH_FAILURES } from "@/lib/operation-status";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";
import { parseReadInput } from "../verb";

const empty = (v: unknown) => (v === "" ? undefined : v);
export const ListOperationsInput = z.object({
  status: z.preprocess(empty, z.enum(OPERATION_STATUS_FILTERS).optional()),
  type: z.preprocess(empty, z.enum(OPERATION_TYPES).optional()),
  collectionId: z.preprocess(empty, z.uuid().optional()),
  before: z.preprocess(empty, z.coerce.date().optional()),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const withFailures = sql`${operations.result}->>'outcome' = ${SUCCEEDED_WITH_FAILURES}`;

/** "succeeded" finds clean successes only; "succeeded_with_failures" the successes that left dead letters. */
function statusFilter(status: (typeof OPERATION_STATUS_FILTERS)[number]): SQL | undefined {
  if (status === SUCCEEDED_WITH_FAILURES) return and(eq(operations.status, "succeeded"), withFailures);
  if (status === "succeeded") return and(eq(operations.status, "succeeded"), sql`not coalesce(${withFailures}, false)`);
  return eq(operations.status, status);
}

export async function listOperations({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const f = parseReadInput(ListOperationsInput, input ?? {});
  const where: (SQL | undefined)[] = [
    f.status ? statusFilter(f.status) : undefined,
    f.type ? eq(operations.type, f.type) : undefined,
    f.collectionId ? eq(operations.collectionId, f.collectionId) : undefined,
    f.before ? lt(operations.createdAt, f.before) : undefined,
  ];
  return getDb()
    .select({ operation: operations, requestedBy: users.email })
    .from(operations)
    .leftJoin(users, eq(users.id, operations.requestedBy))
    .where(and(...where))
    .orderBy(desc(operations.createdAt))
    .limit(f.limit);
}

export async function getOperation({ ctx, input }: { ctx: ServiceContext; input: { operationId: string } }) {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  if (!z.uuid().safeParse(input.operationId).success) throw notFound("Operation");
  const db = getDb();
  const [row] = await db
    .select({ operation: operations, requestedBy: users.email, metrics: operationMetrics })
    .from(operations)
    .leftJoin(users, eq(users.id, operations.requestedBy))
    .leftJoin(operationMetrics, eq(operationMetrics.operationId, operations.id))
    .where(eq(operations.id, input.operationId));
  if (!row) throw notFound("Operation");
  const [steps, logs] = await Promise.all([
    db.select().from(operationSteps).where(eq(operationSteps.operationId, input.operationId)).orderBy(operationSteps.startedAt),
    db.select().from(operationLogs).where(eq(operationLogs.operationId, input.operationId)).orderBy(desc(operationLogs.id)).limit(200),
  ]);
  return { ...row, steps, logs: logs.reverse() };
}
