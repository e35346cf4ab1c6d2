import { eq } from "drizzle-orm";
import { alertRules } from "@/db/schema/alerts";
import { sourceKind } from "@/lib/alerts/sources";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { authorize, parseInput, withTransaction } from "../verb";
import { assertChannelsExist, assertPolicyExists, assertRuleNameFree, lockRule, ruleAuditParams } from "./rule-helpers";
import { UpdateRuleInput } from "./schemas";

/** Changes the fields given of a rule (admins), audited with before and after; its open alerts are re-judged on the next evaluation. */
export async function updateAlertRule({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "alert_rule.update", input);
  const { ruleId, ...changes } = await parseInput(ctx, "alert_rule.update", UpdateRuleInput, input);
  return withTransaction(ctx, "alert_rule.update", async (tx) => {
    const before = await lockRule(tx, ruleId);
    if (changes.name !== undefined) await assertRuleNameFree(tx, changes.name, ruleId);
    if (changes.channelIds) await assertChannelsExist(tx, changes.channelIds);
    await assertPolicyExists(tx, changes.escalationPolicyId);
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const [rule] = await tx
      .update(alertRules)
      .set({ ...set, ...(changes.source ? { kind: sourceKind(changes.source) } : {}), updatedAt: new Date() })
      .where(eq(alertRules.id, ruleId))
      .returning();
    await emitAudit(tx, ctx, { action: "alert_rule.update", target: { type: "alert_rule", id: ruleId }, params: { from: ruleAuditParams(before), to: ruleAuditParams(rule!) } });
    return rule!;
  });
}
