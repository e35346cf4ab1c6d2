import { NextResponse } from "next/server";
import { correlationIdFrom } from "@/lib/auth/request-meta";
import { otherMethods } from "@/lib/api/methods";
import { getLogger } from "@/lib/observability/logger";
import { refuseScrape } from "@/lib/observability/metrics-access";
import { scrapeMetrics } from "@/lib/observability/metrics-db";

export const dynamic = "force-dynamic";

/** Prometheus exposition for a scraper with the metrics token or on the address allow-list (README: Metrics). */
export async function GET(request: Request): Promise<Response> {
  const correlationId = correlationIdFrom(request.headers);
  const refusal = refuseScrape(request.headers);
  if (refusal) {
    const headers: Record<string, string> = { "x-request-id": correlationId, ...(refusal.status === 401 ? { "www-authenticate": 'Bearer realm="metrics"' } : {}) };
    return NextResponse.json({ error: { code: refusal.code, message: refusal.message } }, { status: refusal.status, headers });
  }
  try {
    const { body, contentType } = await scrapeMetrics();
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store", "x-request-id": correlationId } });
  } catch (err) {
    getLogger().error({ err, correlationId }, "metrics scrape failed");
    return NextResponse.json({ error: { code: "internal", message: "Internal error.", reference: correlationId } }, { status: 500, headers: { "x-request-id": correlationId } });
  }
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
