import { eq, inArray } from "drizzle-orm";
import { NonRetriableError } from "inngest";
import { getDb } from "@/db/client";
import { alerts, escalationPolicies, type EscalationLevel } from "@/db/schema/alerts";

/** Repeats of the last level told by one escalation run (3 steps each, well inside 1,000 steps); more go on in a chained run. */
export const REPEATS_PER_RUN = 100;

/** The policy's levels and how often its last level repeats; a policy deleted since the firing escalates no further. */
export async function escalationLevels(policyId: string): Promise<{ levels: EscalationLevel[]; repeatLastLevel: number }> {
  const [policy] = await getDb().select({ levels: escalationPolicies.levels, repeatLastLevel: escalationPolicies.repeatLastLevel }).from(escalationPolicies).where(eq(escalationPolicies.id, policyId));
  if (!policy) throw new NonRetriableError("escalation policy deleted");
  return policy;
}

/** The repeats [from, to) this run tells, and the cursor of the run to chain after it (null: none). */
export function repeatWindow(repeatLastLevel: number, repeatFrom: number | undefined): { from: number; to: number; next: number | null } {
  const from = repeatFrom ?? 1;
  const to = Math.min(repeatLastLevel + 1, from + REPEATS_PER_RUN);
  return { from, to: Math.max(from, to), next: to <= repeatLastLevel ? to : null };
}

/** Whether this firing still wants escalating: "firing" only while it fires unacknowledged, and is still this firing. */
export async function escalationState(alertId: string, fireCount: number): Promise<"firing" | "acknowledged" | "resolved" | "pending" | "gone" | "refired"> {
  const [alert] = await getDb().select({ status: alerts.status, fireCount: alerts.fireCount }).from(alerts).where(eq(alerts.id, alertId));
  if (!alert) return "gone";
  if (alert.fireCount !== fireCount) return "refired";
  return alert.status;
}

export type EscalationMember = { alertId: string; fireCount: number };

/** The members of a grouped escalation that still fire unacknowledged in the firing it escalates: those its next level tells. */
export async function firingMembers(members: EscalationMember[]): Promise<EscalationMember[]> {
  const rows = await getDb().select({ id: alerts.id, status: alerts.status, fireCount: alerts.fireCount }).from(alerts).where(inArray(alerts.id, members.map((m) => m.alertId)));
  const firing = new Set(rows.filter((r) => r.status === "firing").map((r) => `${r.id}:${r.fireCount}`));
  return members.filter((m) => firing.has(`${m.alertId}:${m.fireCount}`));
}
