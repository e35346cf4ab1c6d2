import { alertRules } from "@/db/schema/alerts";
import { sourceKind } from "@/lib/alerts/sources";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { authorize, parseInput, withTransaction } from "../verb";
import { assertChannelsExist, assertPolicyExists, assertRuleNameFree, ruleAuditParams } from "./rule-helpers";
import { CreateRuleInput } from "./schemas";

/** Adds an alert rule (admins, Alerts → Rules or `POST /api/v1/alert-rules`); the next evaluation applies it. */
export async function createAlertRule({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "alert_rule.create", input);
  const data = await parseInput(ctx, "alert_rule.create", CreateRuleInput, input);
  return withTransaction(ctx, "alert_rule.create", async (tx) => {
    await assertRuleNameFree(tx, data.name);
    await assertChannelsExist(tx, data.channelIds);
    await assertPolicyExists(tx, data.escalationPolicyId);
    const [rule] = await tx
      .insert(alertRules)
      .values({ ...data, kind: sourceKind(data.source), createdBy: ctx.actor.id })
      .returning();
    await emitAudit(tx, ctx, { action: "alert_rule.create", target: { type: "alert_rule", id: rule!.id }, params: ruleAuditParams(rule!) });
    return rule!;
  });
}
