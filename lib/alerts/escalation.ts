import { eq } from "drizzle-orm";
import { NonRetriableError } from "inngest";
import { getDb } from "@/db/client";
import { alerts, escalationPolicies, type EscalationLevel } from "@/db/schema/alerts";

/** The policy's levels; a policy deleted since the firing escalates no further. */
export async function escalationLevels(policyId: string): Promise<EscalationLevel[]> {
  const [policy] = await getDb().select({ levels: escalationPolicies.levels }).from(escalationPolicies).where(eq(escalationPolicies.id, policyId));
  if (!policy) throw new NonRetriableError("escalation policy deleted");
  return policy.levels;
}

/** Whether this firing still wants escalating: "firing" only while it fires unacknowledged, and is still this firing. */
export async function escalationState(alertId: string, fireCount: number): Promise<"firing" | "acknowledged" | "resolved" | "pending" | "gone" | "refired"> {
  const [alert] = await getDb().select({ status: alerts.status, fireCount: alerts.fireCount }).from(alerts).where(eq(alerts.id, alertId));
  if (!alert) return "gone";
  if (alert.fireCount !== fireCount) return "refired";
  return alert.status;
}
