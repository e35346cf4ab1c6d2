import { eq } from "drizzle-orm";
import { alertRules } from "@/db/schema/alerts";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { lockRule, ruleAuditParams } from "./rule-helpers";
import { DeleteRuleInput } from "./schemas";

/** Deletes a rule and its alerts (admins). A default rule is disabled instead: seeding would bring a deleted one back. */
export async function deleteAlertRule({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "alert_rule.delete", input);
  const { ruleId } = await parseInput(ctx, "alert_rule.delete", DeleteRuleInput, input);
  return withTransaction(ctx, "alert_rule.delete", async (tx) => {
    const rule = await lockRule(tx, ruleId);
    if (rule.builtinKey) throw conflict("A default rule cannot be deleted: disable it instead.");
    await tx.delete(alertRules).where(eq(alertRules.id, ruleId));
    await emitAudit(tx, ctx, { action: "alert_rule.delete", target: { type: "alert_rule", id: ruleId }, params: ruleAuditParams(rule) });
    return { deleted: ruleId };
  });
}
