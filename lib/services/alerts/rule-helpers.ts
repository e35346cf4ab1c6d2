import { eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { alertRules, escalationPolicies, notificationChannels, type AlertRule } from "@/db/schema/alerts";
import { conflict, notFound, ServiceError } from "../errors";

/** The rule under its row lock, or not_found. */
export async function lockRule(tx: Tx, ruleId: string): Promise<AlertRule> {
  const [rule] = await tx.select().from(alertRules).where(eq(alertRules.id, ruleId)).for("update");
  if (!rule) throw notFound("The alert rule");
  return rule;
}

/** Refuses a name another rule has, in words on the name field. */
export async function assertRuleNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const [other] = await tx.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.name, name));
  if (other && other.id !== exceptId) throw conflict("A rule with this name exists.", { name: ["Another rule has this name."] });
}

/** Refuses channel ids that name no channel. */
export async function assertChannelsExist(tx: Tx, channelIds: string[]): Promise<void> {
  if (!channelIds.length) return;
  const found = new Set((await tx.select({ id: notificationChannels.id }).from(notificationChannels).where(inArray(notificationChannels.id, channelIds))).map((c) => c.id));
  const missing = channelIds.filter((id) => !found.has(id));
  if (missing.length) throw new ServiceError("invalid", "Some fields are invalid.", { channelIds: [`No such channel: ${missing.join(", ")}.`] });
}

/** Refuses a policy id that names no policy. */
export async function assertPolicyExists(tx: Tx, policyId: string | null | undefined): Promise<void> {
  if (!policyId) return;
  const [found] = await tx.select({ id: escalationPolicies.id }).from(escalationPolicies).where(eq(escalationPolicies.id, policyId));
  if (!found) throw new ServiceError("invalid", "Some fields are invalid.", { escalationPolicyId: ["No such escalation policy."] });
}

/** What the audit entry keeps of a rule: everything that decides when it fires. */
export const ruleAuditParams = (r: Pick<AlertRule, "name" | "source" | "matchers" | "operator" | "threshold" | "forSeconds" | "severity" | "enabled" | "channelIds" | "escalationPolicyId">) => ({
  name: r.name,
  source: r.source,
  matchers: r.matchers,
  operator: r.operator,
  threshold: r.threshold,
  forSeconds: r.forSeconds,
  severity: r.severity,
  enabled: r.enabled,
  channelIds: r.channelIds,
  escalationPolicyId: r.escalationPolicyId,
});
