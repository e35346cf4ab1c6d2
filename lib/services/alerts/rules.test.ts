import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alertRules } from "@/db/schema/alerts";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { DEFAULT_RULES, seedDefaultRules } from "@/lib/alerts/defaults";
import { createAlertRule } from "./create-rule";
import { deleteAlertRule } from "./delete-rule";
import { listAlertRules } from "./list-rules";
import { updateAlertRule } from "./update-rule";

const uniqueName = (base: string) => `${base} ${Math.random().toString(36).slice(2, 8)}`;

describe("alert rule verbs", () => {
  it("create, update and delete a rule for an admin, each audited with what decides when it fires", async () => {
    const admin = await actorContext("admin");
    const name = uniqueName("Docs dead letters");
    const rule = await createAlertRule({ ctx: admin, input: { name, source: "dead_letters", matchers: { collection: "docs" }, operator: "gte", threshold: "10", forSeconds: 60, severity: "critical", description: "{{collection}}: {{value}}" } });
    expect(rule).toMatchObject({ kind: "metric", operator: "gte", threshold: 10, forSeconds: 60, matchers: { collection: "docs" }, enabled: true });
    const updated = await updateAlertRule({ ctx: admin, input: { ruleId: rule.id, threshold: 20, enabled: false } });
    expect(updated).toMatchObject({ name, threshold: 20, enabled: false, operator: "gte", severity: "critical" });
    const event = await updateAlertRule({ ctx: admin, input: { ruleId: rule.id, source: "backup_failed" } });
    expect(event.kind).toBe("event");
    expect((await listAlertRules({ ctx: admin })).map((r) => r.id)).toContain(rule.id);
    await deleteAlertRule({ ctx: admin, input: { ruleId: rule.id } });
    expect(await getDb().select().from(alertRules).where(eq(alertRules.id, rule.id))).toEqual([]);

    const audit = await auditRowsOf(admin.correlationId);
    expect(audit.map((r) => [r.action, r.outcome, r.targetId])).toEqual([
      ["alert_rule.create", "success", rule.id],
      ["alert_rule.update", "success", rule.id],
      ["alert_rule.update", "success", rule.id],
      ["alert_rule.delete", "success", rule.id],
    ]);
    expect(audit[1]!.params).toMatchObject({ from: { threshold: 10, enabled: true }, to: { threshold: 20, enabled: false } });
  });

  it("refuse operators and viewers, auditing the refusal", async () => {
    for (const role of ["operator", "viewer"] as const) {
      const ctx = await actorContext(role);
      await expect(createAlertRule({ ctx, input: { name: uniqueName("x"), source: "dead_letters" } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(listAlertRules({ ctx })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.error])).toEqual([["alert_rule.create", "denied", "missing permission alert.configure"]]);
    }
  });

  it("put invalid fields in words, refuse a taken name and an unknown channel", async () => {
    const admin = await actorContext("admin");
    await expect(createAlertRule({ ctx: admin, input: { name: "", source: "cpu", operator: "ne", threshold: "many", forSeconds: -1 } })).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: { name: ["Name the rule."], source: [expect.stringContaining("One of: dead_letters")], operator: ["One of gt, lt, gte, lte, eq."], threshold: ["The threshold must be a number."], forSeconds: ["0 or more."] },
    });
    const name = uniqueName("Taken");
    await createAlertRule({ ctx: admin, input: { name, source: "runs_waiting" } });
    await expect(createAlertRule({ ctx: admin, input: { name, source: "runs_waiting" } })).rejects.toMatchObject({ code: "conflict", fieldErrors: { name: ["Another rule has this name."] } });
    await expect(createAlertRule({ ctx: admin, input: { name: uniqueName("c"), source: "runs_waiting", channelIds: ["00000000-0000-4000-8000-000000000000"] } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { channelIds: [expect.stringContaining("No such channel")] } });
  });

  it("seed the default rules once, enabled, and refuse to delete one", async () => {
    await seedDefaultRules(getDb());
    expect(await seedDefaultRules(getDb())).toBe(0);
    const seeded = (await getDb().select().from(alertRules)).filter((r) => r.builtinKey);
    expect(seeded.map((r) => r.builtinKey).sort()).toEqual(DEFAULT_RULES.map((r) => r.builtinKey).sort());
    expect(seeded.every((r) => r.enabled)).toBe(true);
    const admin = await actorContext("admin");
    await expect(deleteAlertRule({ ctx: admin, input: { ruleId: seeded[0]!.id } })).rejects.toMatchObject({ code: "conflict" });
  });
});
