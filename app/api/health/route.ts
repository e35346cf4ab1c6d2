import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/** Liveness: the process answers. Dependencies are /api/health/ready's business. */
export function GET() {
  return NextResponse.json({ status: "ok", uptimeS: Math.round(process.uptime()) });
}
