import { randomUUID } from "node:crypto";
import { closeDb, getSql } from "@/db/client";
import { exportAuditCsv } from "@/lib/services/audit/export-csv";
import { listAuditEntries } from "@/lib/services/audit/list";
import type { ServiceContext } from "@/lib/services/context";
import { benchDatabase, medianMs, round, timeMs } from "./harness";

const ROWS = 1_000_000;
const CSV_ROWS = 10_000;
const TARGET_MS = 200;

/**
 * The audit log at 1M rows: first page, a filtered page, and a 10k-row CSV export, timed at the
 * service verb (server time, no HTTP). Baseline: the same first page fetched with OFFSET at page 1000.
 */
export async function benchAudit(): Promise<Record<string, unknown>> {
  const db = await benchDatabase();
  try {
    const sql = getSql();
    const seedMs = await timeMs(async () => {
      // 50 actors, 12 actions, a year of history; CSV_ROWS rows from one actor for the export.
      await sql`
        insert into audit_log (at, actor_email, actor_type, action, target_type, target_id, params, outcome, ip, correlation_id)
        select now() - (g * interval '31 seconds'),
               case when g % 100 = 0 then 'exporter@bench.test' else 'user' || (g % 49) || '@bench.test' end,
               'user',
               (array['auth.sign_in','user.create','user.update','token.create','token.revoke','audit.export',
                      'operation.start','operation.cancel','collection.create','collection.delete','backup.create','alert.acknowledge'])[1 + g % 12],
               'collection', 'c' || (g % 500), jsonb_build_object('n', g), case when g % 17 = 0 then 'denied' else 'success' end,
               '10.0.' || (g % 250) || '.1', md5(g::text)
        from generate_series(1, ${ROWS}) g`;
      await sql`analyze audit_log`;
    });
    const ctx: ServiceContext = { actor: { type: "user", id: randomUUID(), email: "bench@bench.test", role: "viewer" }, ip: null, correlationId: randomUUID() };
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();

    const firstPageMs = await medianMs(() => listAuditEntries({ ctx, input: { limit: 50 } }));
    const filteredPageMs = await medianMs(() => listAuditEntries({ ctx, input: { limit: 50, actor: "user7@bench.test", action: "user.update", from } }));
    const second = await listAuditEntries({ ctx, input: { limit: 50, actor: "user7@bench.test" } });
    const nextPageMs = await medianMs(() => listAuditEntries({ ctx, input: { limit: 50, actor: "user7@bench.test", cursor: second.nextCursor! } }));
    let csvBytes = 0;
    const csvMs = await medianMs(async () => {
      const stream = await exportAuditCsv({ ctx, input: { actor: "exporter@bench.test" } });
      csvBytes = (await new Response(stream).arrayBuffer()).byteLength;
    }, 3);
    const offsetPageMs = await medianMs(() => sql`select * from audit_log order by at desc, id desc offset 50000 limit 50`);

    return {
      bench: "audit",
      rows: ROWS,
      first_page_ms: firstPageMs,
      filtered_page_ms: filteredPageMs,
      next_page_ms: nextPageMs,
      csv_10k_ms: csvMs,
      csv_rows: CSV_ROWS,
      csv_bytes: csvBytes,
      target_page_ms: TARGET_MS,
      baseline_offset_page_1000_ms: offsetPageMs,
      seed_s: round(seedMs / 1000),
    };
  } finally {
    await closeDb();
    await db.stop();
  }
}
