import { clientIp, correlationIdFrom } from "@/lib/auth/request-meta";
import { getLogger } from "@/lib/observability/logger";
import { acknowledgeAlertByLink } from "@/lib/services/alerts/acknowledge-by-link";
import { anonymousContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";

export const dynamic = "force-dynamic";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escape(title)}</title></head><body style="font-family:system-ui;max-width:36rem;margin:3rem auto"><h1>${escape(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}

/**
 * The signed link in a notification. GET only asks (mail scanners follow links), the form's POST
 * acknowledges, with the token as its only permission: no session needed.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return page(
    "Acknowledge this alert?",
    `<form method="post"><input type="hidden" name="token" value="${escape(token)}"><p><label>Reason <input name="reason" maxlength="500" placeholder="Looking into it"></label></p><p><button type="submit">Acknowledge</button></p></form><p><a href="/alerts/${escape(id)}">Open the alert in the console</a></p>`,
  );
}

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const form = await request.formData().catch(() => null);
  const ctx = anonymousContext("acknowledge link", clientIp(request.headers), correlationIdFrom(request.headers));
  try {
    const alert = await acknowledgeAlertByLink({ ctx, input: { alertId: id, token: String(form?.get("token") ?? ""), reason: String(form?.get("reason") ?? "") } });
    return page("Acknowledged", `<p>${escape(alert.summary)}</p><p>Escalation stops. The acknowledgement clears when the alert resolves.</p>`);
  } catch (err) {
    if (err instanceof ServiceError) return page("Not acknowledged", `<p>${escape(err.message)}</p>`, err.code === "forbidden" ? 403 : err.code === "not_found" ? 404 : 409);
    getLogger().error({ err, correlationId: ctx.correlationId }, "acknowledge link failed");
    return page("Not acknowledged", `<p>Internal error (reference ${escape(ctx.correlationId)}).</p>`, 500);
  }
}
