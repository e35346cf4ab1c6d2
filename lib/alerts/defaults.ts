import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { alertRules, type NewAlertRule } from "@/db/schema/alerts";

type DefaultRule = Omit<NewAlertRule, "id" | "createdAt" | "updatedAt" | "createdBy" | "builtinKey"> & { builtinKey: string };

/** The rules a new install starts with, enabled; seeded once each (by `builtinKey`), so an admin's edit sticks (they cannot be deleted, only disabled). */
export const DEFAULT_RULES: DefaultRule[] = [
  { builtinKey: "dead-letters", name: "Dead letters", kind: "metric", source: "dead_letters", operator: "gt", threshold: 0, forSeconds: 60, severity: "warning", description: "{{collection}} has {{value}} dead letters." },
  { builtinKey: "operation-failed", name: "Operation failed", kind: "event", source: "operation_failed", operator: "gt", threshold: 0, forSeconds: 0, severity: "critical", description: "The latest {{type}} of {{collection}} failed." },
  { builtinKey: "operation-succeeded-with-failures", name: "Operation left dead letters", kind: "event", source: "operation_succeeded_with_failures", operator: "gt", threshold: 0, forSeconds: 0, severity: "warning", description: "The latest {{type}} of {{collection}} succeeded with failures." },
  { builtinKey: "reindex-awaiting-approval", name: "Reindex awaits approval", kind: "event", source: "reindex_awaiting_approval", operator: "gt", threshold: 0, forSeconds: 0, severity: "info", description: "A REINDEX of {{collection}} awaits approval." },
  { builtinKey: "breaker-open", name: "Embedder breaker open", kind: "metric", source: "breaker_open", operator: "gt", threshold: 0, forSeconds: 0, severity: "critical", description: "The circuit breaker of {{model}} is open: embedding is stopped." },
  { builtinKey: "health-unhealthy", name: "Unhealthy", kind: "metric", source: "health_unhealthy", operator: "gt", threshold: 0, forSeconds: 30, severity: "critical", description: "Readiness is unhealthy: a dependency is down." },
  { builtinKey: "backup-failed", name: "Backup failed", kind: "event", source: "backup_failed", operator: "gt", threshold: 0, forSeconds: 0, severity: "critical", description: "The latest backup of {{collection}} failed." },
  { builtinKey: "backup-empty", name: "Backup empty", kind: "event", source: "backup_empty", operator: "gt", threshold: 0, forSeconds: 0, severity: "warning", description: "The latest backup of {{collection}} holds no points." },
  { builtinKey: "backup-stale", name: "Backup stale", kind: "metric", source: "backup_age_hours", operator: "gt", threshold: 48, forSeconds: 0, severity: "warning", description: "The latest backup of {{collection}} is {{value}} h old (over {{threshold}} h)." },
  { builtinKey: "backup-never-verified", name: "Backup not verified", kind: "event", source: "backup_never_verified", operator: "gt", threshold: 0, forSeconds: 3600, severity: "info", description: "The latest backup of {{collection}} has not been verified." },
  { builtinKey: "runs-waiting", name: "Runs waiting", kind: "metric", source: "runs_waiting", operator: "gt", threshold: 50, forSeconds: 300, severity: "warning", description: "{{value}} runs wait for an executor." },
];

/**
 * Inserts the default rules not seeded before: a name an admin already took is left alone. The
 * advisory lock makes two evaluations at once seed once. Returns how many were inserted.
 */
export async function seedDefaultRules(tx: Executor): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('stevedore.alert-default-rules'))`);
  const inserted = await tx.insert(alertRules).values(DEFAULT_RULES).onConflictDoNothing().returning({ id: alertRules.id });
  return inserted.length;
}
