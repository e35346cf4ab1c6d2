import type { AuditAction } from "./actions";

/** Which kind of thing each action works on, and the input field that names it (none: it would create one). */
const TARGETS: Partial<Record<AuditAction, { type: string; idField?: string }>> = {
  "user.create": { type: "user" },
  "user.update": { type: "user", idField: "userId" },
  "user.unlock": { type: "user", idField: "userId" },
  "user.change_password": { type: "user", idField: "userId" },
  "token.create": { type: "token" },
  "token.revoke": { type: "token", idField: "tokenId" },
  "operation.start": { type: "collection", idField: "collectionId" },
  "operation.cancel": { type: "operation", idField: "operationId" },
  "run.cancel": { type: "run", idField: "runId" },
  "run.rerun": { type: "run", idField: "runId" },
  "collection.create": { type: "collection" },
  "source.add": { type: "collection", idField: "collectionId" },
  "source.remove": { type: "source", idField: "sourceId" },
  "document.retry": { type: "collection", idField: "collectionId" },
  "golden_query.create": { type: "collection", idField: "collectionId" },
  "golden_query.delete": { type: "golden_query", idField: "queryId" },
  "collection.update_policy": { type: "collection", idField: "collectionId" },
  "collection.rollback": { type: "collection", idField: "collectionId" },
  "version.keep": { type: "collection_version", idField: "versionId" },
  "version.delete": { type: "collection_version", idField: "versionId" },
  "backup.start": { type: "collection", idField: "collectionId" },
  "backup.verify": { type: "backup", idField: "backupId" },
  "backup.import": { type: "backup" },
  "backup.delete": { type: "backup", idField: "backupId" },
  "restore.start": { type: "backup", idField: "backupId" },
  "collection.clear": { type: "collection", idField: "collectionId" },
  "backup_schedule.save": { type: "collection", idField: "collectionId" },
  "backup_schedule.delete": { type: "backup_schedule", idField: "scheduleId" },
  "backup.drill": { type: "backup", idField: "backupId" },
  "alert_rule.create": { type: "alert_rule" },
  "alert_rule.update": { type: "alert_rule", idField: "ruleId" },
  "alert_rule.delete": { type: "alert_rule", idField: "ruleId" },
  "channel.create": { type: "notification_channel" },
  "channel.update": { type: "notification_channel", idField: "channelId" },
  "channel.delete": { type: "notification_channel", idField: "channelId" },
  "channel.test": { type: "notification_channel", idField: "channelId" },
  "alert.acknowledge": { type: "alert", idField: "alertId" },
  "alert.resolve": { type: "alert", idField: "alertId" },
  "escalation_policy.create": { type: "escalation_policy" },
  "escalation_policy.delete": { type: "escalation_policy", idField: "policyId" },
  "silence.create": { type: "silence" },
  "silence.expire": { type: "silence", idField: "silenceId" },
  "silence.extend": { type: "silence", idField: "silenceId" },
  "silence.delete": { type: "silence", idField: "silenceId" },
  "maintenance_window.create": { type: "maintenance_window" },
  "maintenance_window.update": { type: "maintenance_window", idField: "windowId" },
  "maintenance_window.delete": { type: "maintenance_window", idField: "windowId" },
  "escalation_policy.update": { type: "escalation_policy", idField: "policyId" },
};

// Only fields that say what was attempted, never secrets (passwords, token secrets) nor bulk data.
const SAFE_FIELDS = ["email", "role", "disabled", "name", "collectionId", "sourceId", "sourceName", "userId", "tokenId", "operationId", "runId", "type", "queryId", "versionId", "keep", "backupId", "kind", "mode", "into", "onConflict", "backupFirst", "ruleId", "channelId", "alertId", "source", "severity"];

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * What a refused or invalid request tried to do, and on what, from its raw input: the audit
 * target (the id only when the input names one as a string) and the input's harmless scalar fields.
 */
export function describeAttempt(action: AuditAction, input: unknown): { target?: { type: string; id: string | null }; attempted?: Record<string, unknown> } {
  const spec = TARGETS[action] ?? { type: action.split(".")[0]!, idField: `${action.split(".")[0]}Id` };
  const fields = isRecord(input) ? input : {};
  const id = spec.idField ? fields[spec.idField] : undefined;
  const attempted: Record<string, unknown> = {};
  for (const key of SAFE_FIELDS) {
    const value = fields[key];
    if (typeof value === "boolean" || typeof value === "number") attempted[key] = value;
    else if (typeof value === "string") attempted[key] = value.slice(0, 200);
  }
  return {
    target: { type: spec.type, id: typeof id === "string" ? id.slice(0, 200) : null },
    attempted: Object.keys(attempted).length ? attempted : undefined,
  };
}
