import nodemailer from "nodemailer";
import type { EmailChannelConfig, NotificationChannel, SlackChannelConfig, WebhookChannelConfig } from "@/db/schema/alerts";
import { env } from "@/lib/env";
import type { AlertMessage } from "../message";
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../signature";

const TIMEOUT_MS = 10_000;

/** One attempt's outcome; `error` is a classified message (never upstream text), `retryable` says whether another attempt may help. */
export type SendResult = { ok: boolean; responseCode: number | null; latencyMs: number; error: string | null; retryable: boolean };

function classify(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string }; responseCode?: number };
  const code = e.cause?.code ?? e.code;
  if (e.name === "TimeoutError" || code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return "timed out";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code && /CERT|TLS|SSL/.test(code)) return "TLS error";
  if (code === "EAUTH") return "SMTP authentication failed";
  if (code === "EENVELOPE") return "SMTP refused a recipient";
  if (e.responseCode) return `SMTP ${e.responseCode}`;
  return "delivery failed";
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Omit<SendResult, "latencyMs">> {
  const res = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "user-agent": "stevedore-alerts", ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "manual" });
  await res.body?.cancel();
  if (res.ok) return { ok: true, responseCode: res.status, error: null, retryable: false };
  // A 4xx other than 408 / 429 is the channel's configuration (a revoked Slack hook): retrying will not help.
  return { ok: false, responseCode: res.status, error: `HTTP ${res.status}`, retryable: res.status >= 500 || res.status === 408 || res.status === 429 };
}

async function sendEmail(config: EmailChannelConfig, message: AlertMessage): Promise<Omit<SendResult, "latencyMs">> {
  const url = env().STEVEDORE_SMTP_URL;
  if (!url) return { ok: false, responseCode: null, error: "SMTP is not configured (STEVEDORE_SMTP_URL)", retryable: false };
  const transport = nodemailer.createTransport(url, { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS });
  try {
    const info = await transport.sendMail({ from: env().STEVEDORE_ALERT_EMAIL_FROM, to: config.to, subject: message.subject, text: message.text });
    const code = Number(/^(\d{3})/.exec(String(info.response ?? ""))?.[1] ?? 250);
    return { ok: true, responseCode: code, error: null, retryable: false };
  } finally {
    transport.close();
  }
}

/** Sends `message` to one channel, once; never throws. */
export async function sendToChannel(channel: Pick<NotificationChannel, "type" | "config">, message: AlertMessage, nowMs: () => number = Date.now): Promise<SendResult> {
  const started = performance.now();
  let result: Omit<SendResult, "latencyMs">;
  try {
    if (channel.type === "email") result = await sendEmail(channel.config as EmailChannelConfig, message);
    else if (channel.type === "slack") result = await post((channel.config as SlackChannelConfig).url, JSON.stringify({ text: `*${message.subject}*\n${message.text}` }), {});
    else {
      const { url, secret } = channel.config as WebhookChannelConfig;
      const body = JSON.stringify(message.payload);
      const timestamp = Math.floor(nowMs() / 1000);
      result = await post(url, body, { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body) });
    }
  } catch (err) {
    // SMTP 5xx is permanent (a refused recipient); 4xx and network failures may pass later.
    const code = typeof (err as { responseCode?: unknown }).responseCode === "number" ? (err as { responseCode: number }).responseCode : null;
    result = { ok: false, responseCode: code, error: classify(err), retryable: !(code && code >= 500) };
  }
  return { ...result, latencyMs: Math.round(performance.now() - started) };
}
