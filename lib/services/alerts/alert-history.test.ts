import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { alertRules, alerts } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { actorContext } from "@/db/test/factories";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import { acknowledgeAlert } from "./acknowledge";
import { getAlertDashboard, getAlertHistory } from "./alert-history";
import { resolveAlert } from "./resolve";

describe("alert history", () => {
  it("records each change of status with who and why, in order: the evaluator's, an acknowledgement, a resolution, a re-firing", async () => {
    const [c] = await getDb()
      .insert(collections)
      .values({ name: `hist-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const [rule] = await getDb().insert(alertRules).values({ name: `hist ${randomUUID()}`, kind: "event", source: "operation_failed", matchers: { collection: c!.name }, severity: "critical" }).returning();
    await getDb().insert(operations).values({ type: "INDEX", collectionId: c!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
    await evaluateAlerts();
    const [alert] = await getDb().select().from(alerts).where(eq(alerts.ruleId, rule!.id));
    const operator = await actorContext("operator");
    await evaluateAlerts(); // no change: no row
    await acknowledgeAlert({ ctx: operator, input: { alertId: alert!.id, reason: "on it" } });
    await resolveAlert({ ctx: operator, input: { alertId: alert!.id, reason: "restarted" } });
    await evaluateAlerts(); // the condition still holds: it fires again

    const viewer = await actorContext("viewer");
    const history = await getAlertHistory({ ctx: viewer, input: { alertId: alert!.id } });
    expect(history.transitions.map((t) => [t.fromStatus, t.toStatus, t.by, t.reason])).toEqual([
      [null, "firing", null, null],
      ["firing", "acknowledged", operator.actor.email, "on it"],
      ["acknowledged", "resolved", operator.actor.email, "restarted"],
      ["resolved", "firing", null, null],
    ]);
    expect(history.transitions.every((t) => t.ruleId === rule!.id)).toBe(true);

    const dashboard = await getAlertDashboard({ ctx: viewer });
    expect(dashboard.open).toContainEqual({ status: "firing", severity: "critical" });
    expect(dashboard.transitions.filter((t) => t.alertId === alert!.id)).toHaveLength(4);
    await expect(getAlertHistory({ ctx: viewer, input: { alertId: randomUUID() } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("a rejected acknowledgement leaves no history row (same transaction)", async () => {
    const [c] = await getDb()
      .insert(collections)
      .values({ name: `hist2-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const [rule] = await getDb().insert(alertRules).values({ name: `hist2 ${randomUUID()}`, kind: "event", source: "operation_failed", matchers: { collection: c!.name } }).returning();
    await getDb().insert(operations).values({ type: "INDEX", collectionId: c!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
    await evaluateAlerts();
    const [alert] = await getDb().select().from(alerts).where(eq(alerts.ruleId, rule!.id));
    const operator = await actorContext("operator");
    await acknowledgeAlert({ ctx: operator, input: { alertId: alert!.id, reason: "mine" } });
    await expect(acknowledgeAlert({ ctx: operator, input: { alertId: alert!.id, reason: "again" } })).rejects.toMatchObject({ code: "conflict" });
    const history = await getAlertHistory({ ctx: operator, input: { alertId: alert!.id } });
    expect(history.transitions.map((t) => t.toStatus)).toEqual(["firing", "acknowledged"]);
  });
});
