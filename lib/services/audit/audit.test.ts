import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema/audit-log";
import { actorContext } from "@/db/test/factories";
import { csvField, exportAuditCsv } from "./export-csv";
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
