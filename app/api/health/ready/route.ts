import { NextResponse } from "next/server";
import { requestContext } from "@/lib/auth/actor";
import { checkReadiness, publicReadiness } from "@/lib/services/health/check-ready";
import { getLogger } from "@/lib/observability/logger";

export const dynamic = "force-dynamic";

/** A session or an API token; a probe (load balancer, orchestrator) sends neither and gets the states only. */
async function signedIn(request: Request): Promise<boolean> {
  if (!request.headers.has("authorization") && !request.headers.has("cookie")) return false;
  try {
    return (await requestContext(request)) !== null;
  } catch (err) {
    getLogger().warn({ err }, "readiness: could not read the caller's session; answering without detail");
    return false;
  }
}

export async function GET(request: Request) {
  const [readiness, detail] = await Promise.all([checkReadiness(), signedIn(request)]);
  const body = detail ? readiness : publicReadiness(readiness);
  return NextResponse.json(body, { status: readiness.status === "unhealthy" ? 503 : 200, headers: { "cache-control": "no-store" } });
}
