import { getLogger } from "@/lib/observability/logger";
import type { AuditEntry } from "@/db/schema/audit-log";
import { emitAuditNow } from "./emit";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { can } from "@/lib/auth/rbac";
import { AuditFilter, fetchAuditPage } from "./list";
import { parseReadInput } from "../verb";

const COLUMNS = ["id", "at", "actor_email", "actor_type", "action", "target_type", "target_id", "outcome", "error", "ip", "correlation_id", "params"] as const;
const BATCH = 5000;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(entry: AuditEntry): string {
  const values = [entry.id, entry.at, entry.actorEmail, entry.actorType, entry.action, entry.targetType, entry.targetId, entry.outcome, entry.error, entry.ip, entry.correlationId, entry.params];
  return values.map(csvField).join(",") + "\r\n";
}

/**
 * Streams every entry matching the filter as CSV, newest first, in keyset batches so memory stays
 * flat however large the log. The export itself is audited.
 */
export async function exportAuditCsv({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<ReadableStream<Uint8Array>> {
  if (!can(ctx.actor.role, "audit.read")) {
    await emitAuditNow(ctx, { action: "audit.export", outcome: "denied" });
    throw forbidden();
  }
  const filter = parseReadInput(AuditFilter, input);
  await emitAuditNow(ctx, { action: "audit.export", params: { filter } });

  const encoder = new TextEncoder();
  let cursor: string | null | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(COLUMNS.join(",") + "\r\n"));
        }
        if (cursor === null) return controller.close();
        const page = await fetchAuditPage(filter, BATCH, cursor);
        controller.enqueue(encoder.encode(page.rows.map(csvLine).join("")));
        cursor = page.nextCursor;
      } catch (err) {
        getLogger().error({ err, correlationId: ctx.correlationId }, "audit export failed");
        controller.error(new Error("export failed"));
      }
    },
  });
}
