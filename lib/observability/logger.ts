import pino from "pino";
import { env } from "@/lib/env";
import { OperationLogSink, type OperationLogRow } from "./operation-log-sink";

type Cache = { logger?: pino.Logger; sink?: OperationLogSink };
const cache = ((globalThis as { __stevedoreLogger?: Cache }).__stevedoreLogger ??= {});

/** One batch into operation_logs; lines of an operation that no longer exists are skipped, not a failure. */
export async function insertOperationLogs(rows: OperationLogRow[]): Promise<void> {
  const { getSql } = await import("@/db/client");
  const records = rows.map((r) => ({ operation_id: r.operationId, at: r.at.toISOString(), level: r.level, message: r.message, fields: r.fields }));
  const sql = getSql();
  await sql`
    insert into operation_logs (operation_id, at, level, message, fields)
    select r.operation_id, r.at, r.level, r.message, r.fields
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(operation_id uuid, at timestamptz, level text, message text, fields jsonb)
    where exists (select 1 from operations o where o.id = r.operation_id)`;
}

/**
 * The one pino logger: JSON lines on stdout, and the lines carrying an `operationId` also into that
 * operation's log (`operation-log-sink.ts`). Use `.child({ operationId, correlationId })` for context.
 */
export function getLogger(): pino.Logger {
  if (cache.logger) return cache.logger;
  const level = env().LOG_LEVEL;
  cache.sink = new OperationLogSink({
    write: insertOperationLogs,
    // Straight to stderr: through the logger, a failing database would log about itself forever.
    onWriteError: (err, lost) => process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), app: "stevedore", msg: "operation log lines not stored", lost, err: { type: (err as Error)?.name, message: String((err as Error)?.message ?? err).split("\n")[0] } })}\n`),
  });
  cache.logger = pino({ level, base: { app: "stevedore" } }, pino.multistream([{ level, stream: pino.destination({ dest: 1, sync: true }) }, { level, stream: cache.sink }]));
  return cache.logger;
}

/** Stores the operation log lines still queued (at shutdown, before the database closes). */
export async function flushOperationLogs(): Promise<void> {
  await cache.sink?.flush();
}
