import { can } from "@/lib/auth/rbac";
import { getLogger } from "@/lib/observability/logger";
import { operationOutcome } from "@/lib/operation-status";
import { csvField } from "../audit/export-csv";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { parseReadInput } from "../verb";
import { decodeCursor, OperationFilter, operationsBeyond, resolveFilter } from "./list";

const COLUMNS = ["id", "type", "status", "outcome", "collection_id", "collection", "requested_by", "created_at", "started_at", "finished_at", "duration_ms", "error", "status_message", "correlation_id", "retry_of"] as const;
const BATCH = 1000;

type Row = Awaited<ReturnType<typeof operationsBeyond>>[number];

export function operationCsvLine({ operation: op, requestedBy, collectionName }: Row): string {
  const duration = op.startedAt && op.finishedAt ? op.finishedAt.getTime() - op.startedAt.getTime() : null;
  const values = [op.id, op.type, op.status, operationOutcome(op).label, op.collectionId, collectionName, requestedBy ?? "system", op.createdAt, op.startedAt, op.finishedAt, duration, op.error, op.statusMessage, op.correlationId, op.params.retryOf];
  return values.map(csvField).join(",") + "\r\n";
}

/**
 * Every operation matching the job history's filter as CSV, newest first, read in keyset batches
 * of BATCH rows as the client reads (pull), so memory stays flat however large the history.
 * A read: viewers may export what they may see, and it is not audited (as the documents export).
 */
export async function exportOperationsCsv({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<ReadableStream<Uint8Array>> {
  if (!can(ctx.actor.role, "operation.read")) throw forbidden();
  const filter = await resolveFilter(parseReadInput(OperationFilter, input ?? {}));
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let state: "header" | "rows" | "done" = "header";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (state === "header") {
          state = "rows";
          return controller.enqueue(encoder.encode(COLUMNS.join(",") + "\r\n"));
        }
        if (state === "done") return controller.close();
        const rows: Row[] = await operationsBeyond(filter, BATCH, cursor === null ? null : decodeCursor(cursor, "cursor"));
        if (rows.length < BATCH) state = "done";
        cursor = rows.at(-1)?.cursor ?? null;
        controller.enqueue(encoder.encode(rows.map(operationCsvLine).join("")));
      } catch (err) {
        getLogger().error({ err, correlationId: ctx.correlationId }, "operations export failed");
        controller.error(new Error("export failed"));
      }
    },
  });
}
