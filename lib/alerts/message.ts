import type { Alert, AlertRule } from "@/db/schema/alerts";
import { env } from "@/lib/env";
import { ackUrl } from "./ack-link";

export type NoticeKind = "firing" | "resolved" | "test";

/** What every channel says about one notification, in the shape each needs. */
export type AlertMessage = { subject: string; text: string; payload: Record<string, unknown> };

const consoleUrl = () => (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");

/** A firing's message carries a signed link that acknowledges it without signing in (for this channel's recipients). */
export function alertMessage(kind: Exclude<NoticeKind, "test">, alert: Alert, rule: AlertRule, channelId: string): AlertMessage {
  const head = kind === "firing" ? `[FIRING ${rule.severity}]` : "[RESOLVED]";
  const labels = Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(", ");
  const link = `${consoleUrl()}/alerts/${alert.id}`;
  const ack = kind === "firing" ? ackUrl(alert.id, alert.fireCount, channelId) : null;
  return {
    subject: `${head} ${rule.name}: ${alert.summary}`.slice(0, 200),
    text: [`${head} ${rule.name}`, alert.summary, labels && `Labels: ${labels}`, `Value: ${alert.value}`, `Open: ${link}`, ack && `Acknowledge: ${ack}`].filter(Boolean).join("\n"),
    payload: {
      version: 1,
      kind,
      alert: { id: alert.id, status: alert.status, severity: rule.severity, rule: { id: rule.id, name: rule.name }, labels: alert.labels, value: alert.value, summary: alert.summary, fireCount: alert.fireCount, firedAt: alert.firedAt, resolvedAt: alert.resolvedAt, url: link, ...(ack ? { ackUrl: ack } : {}) },
    },
  };
}

/** Several alerts of one rule that changed in one evaluation, in one message: each with its own acknowledge link. */
export function groupMessage(kind: Exclude<NoticeKind, "test">, alerts: Alert[], rule: AlertRule, channelId: string): AlertMessage {
  const head = kind === "firing" ? `[FIRING ${rule.severity}]` : "[RESOLVED]";
  const items = alerts.map((alert) => {
    const link = `${consoleUrl()}/alerts/${alert.id}`;
    const ack = kind === "firing" ? ackUrl(alert.id, alert.fireCount, channelId) : null;
    return { alert, link, ack };
  });
  const lines = items.flatMap(({ alert, link, ack }, i) => [`${i + 1}. ${alert.summary}`, `   Labels: ${Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "none"} · Value: ${alert.value}`, `   Open: ${link}`, ...(ack ? [`   Acknowledge: ${ack}`] : [])]);
  return {
    subject: `${head} ${rule.name}: ${alerts.length} alerts`.slice(0, 200),
    text: [`${head} ${rule.name}: ${alerts.length} alerts`, ...lines].join("\n"),
    payload: {
      version: 1,
      kind,
      rule: { id: rule.id, name: rule.name, severity: rule.severity },
      alerts: items.map(({ alert, link, ack }) => ({ id: alert.id, status: alert.status, severity: rule.severity, rule: { id: rule.id, name: rule.name }, labels: alert.labels, value: alert.value, summary: alert.summary, fireCount: alert.fireCount, firedAt: alert.firedAt, resolvedAt: alert.resolvedAt, url: link, ...(ack ? { ackUrl: ack } : {}) })),
    },
  };
}

export function testMessage(channelName: string): AlertMessage {
  const text = `Test notification from Stevedore to the channel "${channelName}". If you read this, the channel works.`;
  return { subject: `[TEST] Stevedore channel ${channelName}`, text, payload: { version: 1, kind: "test", channel: channelName, text } };
}
