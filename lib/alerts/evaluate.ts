import { createHash } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { alertRules, alerts, alertTransitions, type Alert, type AlertRule, type NewAlert } from "@/db/schema/alerts";
import { getLogger } from "@/lib/observability/logger";
import { seedDefaultRules } from "./defaults";
import { SOURCES, type Series, type SourceName } from "./sources";
import { compare, stepAlert, type AlertSnapshot, type Notice } from "./state";

/** A firing or a resolution to tell a rule's channels; `fireCount` tells one firing from the next. */
export type Notification = { alertId: string; ruleId: string; kind: Exclude<Notice, null>; fireCount: number; channelIds: string[]; escalationPolicyId?: string | null };

export type Evaluation = { rules: number; series: number; changed: number; notifications: Notification[]; failedSources: string[] };

/** rule + labels in a stable order: the same condition is the same alert, however often it is seen. */
export function fingerprintOf(ruleId: string, labels: Record<string, string>): string {
  const canonical = JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
  return createHash("sha256").update(`${ruleId}\n${canonical}`).digest("hex").slice(0, 32);
}

export const matches = (labels: Record<string, string>, matchers: Record<string, string>) => Object.entries(matchers).every(([k, v]) => labels[k] === v);

const formatValue = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** The rule's description with {{label}}, {{value}}, {{threshold}} and {{rule}} filled in; unknown placeholders stay as written. */
export function renderSummary(rule: Pick<AlertRule, "name" | "description" | "threshold">, labels: Record<string, string>, value: number): string {
  const vars: Record<string, string> = { ...labels, value: formatValue(value), threshold: formatValue(rule.threshold), rule: rule.name };
  const text = rule.description || `${rule.name}: {{value}}`;
  return text.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi, (whole, name: string) => vars[name] ?? whole).slice(0, 1000);
}

async function readSources(names: SourceName[]): Promise<{ series: Map<SourceName, Series[]>; failed: SourceName[] }> {
  const series = new Map<SourceName, Series[]>();
  const failed: SourceName[] = [];
  await Promise.all(
    names.map(async (name) => {
      try {
        series.set(name, await SOURCES[name].read());
      } catch (err) {
        failed.push(name);
        getLogger().warn({ err, source: name }, "alerts: a source could not be read; its rules keep their alerts as they are");
      }
    }),
  );
  return { series, failed };
}

const snapshotOf = (a: Alert): AlertSnapshot => ({
  status: a.status,
  activeSince: a.activeSince,
  firedAt: a.firedAt,
  fireCount: a.fireCount,
  acknowledgedAt: a.acknowledgedAt,
  acknowledgedBy: a.acknowledgedBy,
  ackReason: a.ackReason,
  resolvedAt: a.resolvedAt,
});

const sameSnapshot = (a: AlertSnapshot, b: AlertSnapshot) => (Object.keys(a) as (keyof AlertSnapshot)[]).every((k) => String(a[k]) === String(b[k]));

let seeded = false;

/** Evaluation and acknowledge / resolve take this lock, so neither overwrites the other's change to an alert. */
export async function lockAlertEvaluation(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('stevedore.alert-evaluation'))`);
}

/**
 * One evaluation of every enabled rule: reads each source once, steps each fingerprint's state,
 * writes what changed in one transaction (serialised by an advisory lock, so overlapping ticks
 * cannot both fire an alert), and returns the notifications to send. A source that cannot be read
 * leaves its rules' alerts as they were, rather than resolving them all. `at` (tests) fixes the
 * evaluation's time; by default it is the time the lock was taken.
 */
export async function evaluateAlerts(at?: Date): Promise<Evaluation> {
  const db = getDb();
  if (!seeded) {
    await db.transaction((tx) => seedDefaultRules(tx));
    seeded = true;
  }

  return db.transaction(async (tx) => {
    await lockAlertEvaluation(tx);
    // The sources are read under the lock: a tick that read before waiting on a slower one would
    // step that one's fresh state with an older reading (resolve what it just fired, and the next
    // tick fire it again: told twice).
    const now = at ?? new Date();
    const rules = await db.select().from(alertRules).where(eq(alertRules.enabled, true));
    const { series, failed } = await readSources([...new Set(rules.map((r) => r.source as SourceName))].filter((s) => s in SOURCES));
    const readable = rules.filter((r) => series.has(r.source as SourceName));
    // A disabled rule's open alerts end quietly: no one asked to hear of them any more.
    // One statement (one snapshot): the alerts it ends are the ones whose history it writes.
    await tx.execute(sql`
      with ended as (
        select id, rule_id, status from alerts
        where status <> 'resolved' and rule_id in (select id from alert_rules where not enabled) for update),
      history as (
        insert into alert_transitions (alert_id, rule_id, from_status, to_status, at, reason)
        select id, rule_id, status, 'resolved', ${now.toISOString()}::timestamptz, 'rule disabled' from ended)
      update alerts set status = 'resolved', resolved_at = ${now.toISOString()}::timestamptz, acknowledged_at = null, acknowledged_by = null, ack_reason = null,
        last_evaluated_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
      where id in (select id from ended)`);

    // A rule disabled (or deleted) while the sources were read is not judged: it would fire again the alert just ended above (read after that, so a rule it saw disabled is seen disabled here too).
    const enabledNow = new Set((await tx.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.enabled, true))).map((r) => r.id));
    const judged = readable.filter((r) => enabledNow.has(r.id));
    const existing = new Map<string, Alert>();
    const ruleIds = judged.map((r) => r.id);
    for (let i = 0; i < ruleIds.length; i += 1000) {
      for (const a of await tx.select().from(alerts).where(inArray(alerts.ruleId, ruleIds.slice(i, i + 1000)))) existing.set(a.fingerprint, a);
    }

    const upserts: NewAlert[] = [];
    const removed: string[] = [];
    const moves: { fingerprint: string; ruleId: string; from: Alert["status"] | null; to: Alert["status"] }[] = [];
    const notices: { fingerprint: string; rule: AlertRule; kind: Exclude<Notice, null>; fireCount: number }[] = [];
    let seriesCount = 0;
    const seen = new Set<string>();

    const judge = (rule: AlertRule, labels: Record<string, string>, value: number, active: boolean) => {
      const fingerprint = fingerprintOf(rule.id, labels);
      seen.add(fingerprint);
      const row = existing.get(fingerprint);
      const prev = row ? snapshotOf(row) : null;
      const { state, notice } = stepAlert(prev, active, now, rule.forSeconds);
      if (!state) {
        if (row) removed.push(row.id);
        return;
      }
      const summary = renderSummary(rule, labels, value);
      const changed = !prev || !sameSnapshot(prev, state) || (state.status !== "resolved" && (row!.value !== value || row!.summary !== summary));
      if ((prev?.status ?? null) !== state.status) moves.push({ fingerprint, ruleId: rule.id, from: row ? row.status : null, to: state.status });
      if (changed) upserts.push({ ruleId: rule.id, fingerprint, labels, value, summary: state.status === "resolved" && row ? row.summary : summary, ...state, lastEvaluatedAt: now });
      if (notice) notices.push({ fingerprint, rule, kind: notice, fireCount: state.fireCount });
    };

    for (const rule of judged) {
      for (const s of series.get(rule.source as SourceName)!) {
        if (!matches(s.labels, rule.matchers)) continue;
        seriesCount++;
        judge(rule, s.labels, s.value, compare(rule.operator, s.value, rule.threshold));
      }
    }
    // A series that is gone (its collection deleted, a backup now fine) no longer holds.
    const judgedById = new Map(judged.map((r) => [r.id, r]));
    for (const row of existing.values()) if (!seen.has(row.fingerprint) && row.status !== "resolved") judge(judgedById.get(row.ruleId)!, row.labels, row.value, false);

    const ids = new Map<string, string>();
    for (let i = 0; i < upserts.length; i += 500) {
      const written = await tx
        .insert(alerts)
        .values(upserts.slice(i, i + 500))
        .onConflictDoUpdate({
          target: alerts.fingerprint,
          set: {
            status: sql`excluded.status`,
            value: sql`excluded.value`,
            summary: sql`excluded.summary`,
            activeSince: sql`excluded.active_since`,
            firedAt: sql`excluded.fired_at`,
            fireCount: sql`excluded.fire_count`,
            acknowledgedAt: sql`excluded.acknowledged_at`,
            acknowledgedBy: sql`excluded.acknowledged_by`,
            ackReason: sql`excluded.ack_reason`,
            resolvedAt: sql`excluded.resolved_at`,
            lastEvaluatedAt: sql`excluded.last_evaluated_at`,
            updatedAt: now,
          },
        })
        .returning({ id: alerts.id, fingerprint: alerts.fingerprint });
      for (const w of written) ids.set(w.fingerprint, w.id);
    }
    const history = moves.filter((m) => ids.has(m.fingerprint)).map((m) => ({ alertId: ids.get(m.fingerprint)!, ruleId: m.ruleId, fromStatus: m.from, toStatus: m.to, at: now }));
    for (let i = 0; i < history.length; i += 1000) await tx.insert(alertTransitions).values(history.slice(i, i + 1000));
    for (let i = 0; i < removed.length; i += 1000) await tx.delete(alerts).where(inArray(alerts.id, removed.slice(i, i + 1000)));

    const notifications = notices.map((n) => ({ alertId: ids.get(n.fingerprint)!, ruleId: n.rule.id, kind: n.kind, fireCount: n.fireCount, channelIds: n.rule.channelIds, escalationPolicyId: n.rule.escalationPolicyId }));
    return { rules: judged.length, series: seriesCount, changed: upserts.length + removed.length, notifications, failedSources: failed };
  });
}
