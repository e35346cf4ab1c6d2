import { NextResponse } from "next/server";
import { checkReadiness } from "@/lib/services/health/check-ready";

export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await checkReadiness();
  return NextResponse.json(readiness, { status: readiness.status === "unhealthy" ? 503 : 200, headers: { "cache-control": "no-store" } });
}
