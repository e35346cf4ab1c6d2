"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { firingMs, formatDuration, seriesName, summarizeBySeries, type SeriesSummary } from "@/lib/alerts/preview-summary";
import { SOURCES, type SourceName } from "@/lib/alerts/sources";
import { acknowledgeAlert } from "@/lib/services/alerts/acknowledge";
import { createChannel } from "@/lib/services/alerts/create-channel";
import { createAlertRule } from "@/lib/services/alerts/create-rule";
import { createEscalationPolicy, deleteEscalationPolicy, updateEscalationPolicy } from "@/lib/services/alerts/escalation-policies";
import { previewAlertRule } from "@/lib/services/alerts/preview-rule";
import { resolveAlert } from "@/lib/services/alerts/resolve";
import { sendTestNotification } from "@/lib/services/alerts/test-channel";
import { updateAlertRule } from "@/lib/services/alerts/update-rule";
import { ServiceError } from "@/lib/services/errors";

type Done = ActionResult<{ message: string }>;

export async function acknowledgeAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const result = await runAction(async (ctx) => {
    await acknowledgeAlert({ ctx, input: { alertId: f.alertId, reason: f.reason } });
    return { message: "Acknowledged." };
  });
  if (result.ok) revalidatePath("/alerts");
  return result;
}

export async function resolveAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const result = await runAction(async (ctx) => {
    await resolveAlert({ ctx, input: { alertId: f.alertId, reason: f.reason } });
    return { message: "Resolved." };
  });
  if (result.ok) revalidatePath("/alerts");
  return result;
}

/** The rule form's matcher field: `label=value` pairs, comma-separated (a value keeps any "=" after the first). */
function matchersFromField(text: unknown): Record<string, string> {
  const pairs = String(text ?? "")
    .split(",")
    .map((pair) => pair.split("="))
    .filter(([label]) => label?.trim());
  return Object.fromEntries(pairs.map(([label, ...rest]) => [label!.trim(), rest.join("=").trim()]));
}

/** The Rules page's add and edit forms: matchers from one text field, channels by a multi-select. */
function ruleInputFrom(form: FormData) {
  const f = formObject(form);
  return { ...f, matchers: matchersFromField(f.matcher), channelIds: form.getAll("channelIds").map(String), escalationPolicyId: f.escalationPolicyId ? f.escalationPolicyId : null };
}

export async function createRuleAction(_prev: Done | null, form: FormData): Promise<Done> {
  const result = await runAction(async (ctx) => {
    const rule = await createAlertRule({ ctx, input: { ...ruleInputFrom(form), enabled: true } });
    return { message: `Rule "${rule.name}" added.` };
  });
  if (result.ok) revalidatePath("/alerts/rules");
  return result;
}

export async function updateRuleAction(_prev: Done | null, form: FormData): Promise<Done> {
  const result = await runAction(async (ctx) => {
    const rule = await updateAlertRule({ ctx, input: ruleInputFrom(form) });
    return { message: `Rule "${rule.name}" saved.` };
  });
  if (result.ok) revalidatePath("/alerts/rules");
  return result;
}

export async function toggleRuleAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const result = await runAction(async (ctx) => {
    const rule = await updateAlertRule({ ctx, input: { ruleId: f.ruleId, enabled: f.enabled === "true" } });
    return { message: rule.enabled ? "Enabled." : "Disabled." };
  });
  if (result.ok) revalidatePath("/alerts/rules");
  return result;
}

export async function createChannelAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const input = f.type === "email" ? { type: "email", name: f.name, to: String(f.target ?? "").split(",").map((s) => s.trim()).filter(Boolean) } : { type: f.type, name: f.name, url: f.target };
  const result = await runAction(async (ctx) => {
    const channel = await createChannel({ ctx, input });
    const secret = channel.type === "webhook" ? ` Its signing secret (shown once): ${(channel.config as { secret: string }).secret}` : "";
    return { message: `Channel "${channel.name}" added.${secret}` };
  });
  if (result.ok) revalidatePath("/alerts/channels");
  if (!result.ok && result.fieldErrors) result.fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors).map(([k, v]) => [k === "to" || k === "url" || k.startsWith("to.") ? "target" : k, v]));
  return result;
}

export async function sendTestAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const result = await runAction(async (ctx) => {
    const sent = await sendTestNotification({ ctx, input: { channelId: f.channelId } });
    if (!sent.ok) throw new ServiceError("unavailable", `Test not delivered: ${sent.error} (after ${sent.latencyMs} ms). See the delivery log.`);
    return { message: `Test delivered in ${sent.latencyMs} ms${sent.responseCode ? ` (${sent.responseCode})` : ""}.` };
  });
  revalidatePath("/alerts/channels");
  return result;
}

/** The policy form's level rows (level0.channelIds, level0.userIds, level0.delaySeconds, …); a row with no channel and no user is left out. */
function policyLevels(form: FormData) {
  const levels: { channelIds: string[]; userIds: string[]; delaySeconds: string }[] = [];
  for (let i = 0; form.has(`level${i}.delaySeconds`); i++) {
    const channelIds = form.getAll(`level${i}.channelIds`).map(String).filter(Boolean);
    const userIds = form.getAll(`level${i}.userIds`).map(String).filter(Boolean);
    if (channelIds.length || userIds.length) levels.push({ channelIds, userIds, delaySeconds: String(form.get(`level${i}.delaySeconds`) || "0") });
  }
  return levels;
}

export async function savePolicyAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const fields = { name: f.name, levels: policyLevels(form), repeatLastLevel: f.repeat === true ? f.repeatLastLevel : 0 };
  const result = await runAction(async (ctx) => {
    const policy = f.policyId ? await updateEscalationPolicy({ ctx, input: { ...fields, policyId: f.policyId } }) : await createEscalationPolicy({ ctx, input: fields });
    return { message: `Policy "${policy.name}" ${f.policyId ? "saved" : "added"}.` };
  });
  if (result.ok) revalidatePath("/alerts/escalation-policies");
  return result;
}

export async function deletePolicyAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const result = await runAction(async (ctx) => {
    await deleteEscalationPolicy({ ctx, input: { policyId: f.policyId } });
    return { message: "Policy deleted." };
  });
  if (result.ok) revalidatePath("/alerts/escalation-policies");
  return result;
}

export type PreviewSummary = {
  supported: boolean;
  message: string | null;
  samples: number;
  total: number;
  /** An event source's value is 1 while it holds: its "peak" says nothing. */
  event: boolean;
  /** Per series over the firings listed (the latest 200), the noisiest first. */
  bySeries: SeriesSummary[];
  firings: { labels: string; firedAt: string; resolvedAt: string | null; lasted: string; peak: number }[];
};

/** A matcher as the rule form writes it ("label=value"), or a rule's own matchers as JSON (the rules table's preview). */
function previewMatchers(f: Record<string, unknown>): unknown {
  if (typeof f.matchers === "string" && f.matchers) {
    try {
      return JSON.parse(f.matchers);
    } catch {
      return f.matchers;
    }
  }
  return matchersFromField(f.matcher);
}

/** The rule form's "Preview", and each rule's in the table: what the fields would have fired over the last 24 h (reads only). */
export async function previewRuleAction(form: FormData): Promise<ActionResult<PreviewSummary>> {
  const f = formObject(form);
  const matchers = previewMatchers(f);
  return runAction(async (ctx) => {
    const now = new Date();
    const p = await previewAlertRule({ ctx, now, input: { source: f.source, matchers, operator: f.operator, threshold: f.threshold, forSeconds: f.forSeconds } });
    return {
      supported: p.supported,
      message: p.message,
      samples: p.samples,
      total: p.total,
      event: SOURCES[p.source as SourceName]?.kind === "event",
      bySeries: summarizeBySeries(p.firings, now),
      firings: p.firings.slice(0, 20).map((x) => ({ labels: seriesName(x.labels), firedAt: x.firedAt.toISOString(), resolvedAt: x.resolvedAt?.toISOString() ?? null, lasted: formatDuration(firingMs(x, now)), peak: x.peak })),
    };
  });
}
