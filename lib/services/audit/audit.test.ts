import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { auditLog } from "@/db/schema/audit-log";
import { actorContext } from "@/db/test/factories";
import { csvField, exportAuditCsv } from "./export-csv";
import { EXACT_COUNT_LIMIT } from "./count";
import { listAuditEntries } from "./list";

async function seed(targetId: string, count: number, at: Date) {
  const rows = Array.from({ length: count }, (_, i) => ({
    at, // identical timestamps: the id must break ties for the keyset to be exact
    actorEmail: i % 2 ? "odd@example.test" : "even@example.test",
    actorType: "user" as const,
    action: i % 3 ? "user.update" : "token.create",
    targetType: "seed",
    targetId,
    outcome: "success" as const,
    params: { i, note: i === 0 ? '=HYPERLINK("x"), "quoted"' : "plain" },
  }));
  await getDb().insert(auditLog).values(rows);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("audit log listing", () => {
  it("pages through a filtered set newest first with no row lost or repeated", async () => {
    const ctx = await actorContext("viewer");
    const targetId = randomUUID();
    await seed(targetId, 23, new Date("2026-01-01T00:00:00.123456Z"));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEntries({ ctx, input: { targetType: "seed", targetId, action: "user.update", limit: 4, cursor } });
      expect(page.rows.length).toBeLessThanOrEqual(4);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(15); // 23 rows, every third is token.create
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it("goes back page by page to exactly the pages it came through, keeping the filter, with an exact total", async () => {
    const ctx = await actorContext("viewer");
    const targetId = randomUUID();
    await seed(targetId, 23, new Date("2026-01-02T00:00:00.5Z"));
    await seed(targetId, 7, new Date("2026-01-03T00:00:00Z"));
    const filter = { targetType: "seed", targetId, action: "user.update", limit: 4 };
    const forward: number[][] = [];
    let page = await listAuditEntries({ ctx, input: filter });
    expect(page.prevCursor).toBeNull();
    expect(page.total).toEqual({ value: 19, kind: "exact" }); // 15 of 23 and 4 of 7 are user.update
    for (;;) {
      forward.push(page.rows.map((r) => r.id));
      if (!page.nextCursor) break;
      page = await listAuditEntries({ ctx, input: { ...filter, cursor: page.nextCursor } });
      expect(page.prevCursor).toBe(page.rows[0]!.cursor);
    }
    expect(forward.flat()).toHaveLength(19);
    const backward: number[][] = [forward.at(-1)!];
    while (page.prevCursor) {
      page = await listAuditEntries({ ctx, input: { ...filter, before: page.prevCursor } });
      expect(page.rows.every((r) => r.action === "user.update" && r.targetId === targetId)).toBe(true);
      backward.unshift(page.rows.map((r) => r.id));
    }
    expect(backward).toEqual(forward);
    await expect(listAuditEntries({ ctx, input: { before: "garbage" } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { before: [expect.any(String)] } });
  });

  it("counts exactly up to the limit; beyond it, at least the limit when filtered, the planner's estimate when not", async () => {
    const ctx = await actorContext("viewer");
    const targetId = randomUUID();
    await getSql()`insert into audit_log (actor_email, actor_type, action, target_type, target_id, outcome)
      select 'bulk@example.test', 'user', 'user.update', 'bulk', ${targetId}, 'success' from generate_series(1, ${EXACT_COUNT_LIMIT + 50})`;
    expect((await listAuditEntries({ ctx, input: { targetId, limit: 1 } })).total).toEqual({ value: EXACT_COUNT_LIMIT, kind: "at_least" });
    expect((await listAuditEntries({ ctx, input: { targetId, outcome: "denied", limit: 1 } })).total).toEqual({ value: 0, kind: "exact" });
    await getSql()`analyze audit_log`;
    const all = await listAuditEntries({ ctx, input: { limit: 1 } });
    expect(all.total.kind).toBe("estimate");
    expect(all.total.value).toBeGreaterThanOrEqual(EXACT_COUNT_LIMIT + 50);
  });

  it("filters by actor, outcome and time range", async () => {
    const ctx = await actorContext("viewer");
    const targetId = randomUUID();
    await seed(targetId, 6, new Date("2025-06-01T12:00:00Z"));
    const byActor = await listAuditEntries({ ctx, input: { targetId, actor: "ODD@example.test" } });
    expect(byActor.rows).toHaveLength(3);
    const inRange = await listAuditEntries({ ctx, input: { targetId, from: "2025-06-01T11:00:00Z", to: "2025-06-01T13:00:00Z" } });
    expect(inRange.rows).toHaveLength(6);
    const outOfRange = await listAuditEntries({ ctx, input: { targetId, from: "2025-06-02T00:00:00Z" } });
    expect(outOfRange.rows).toHaveLength(0);
    await expect(listAuditEntries({ ctx, input: { cursor: "garbage" } })).rejects.toMatchObject({ code: "invalid" });
  });

  it("exports the filtered set as CSV, neutralising formulas, and audits the export", async () => {
    const ctx = await actorContext("viewer");
    const targetId = randomUUID();
    await seed(targetId, 7, new Date());
    const csv = await readAll(await exportAuditCsv({ ctx, input: { targetId } }));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,actor_email,actor_type,action,target_type,target_id,outcome,error,ip,correlation_id,params");
    expect(lines).toHaveLength(8);
    const exported = await listAuditEntries({ ctx, input: { action: "audit.export", actor: ctx.actor.email } });
    expect(exported.rows).toHaveLength(1);
  });

  it("quotes CSV fields per RFC 4180", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField(null)).toBe("");
  });
});
