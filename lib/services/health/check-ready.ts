import { getSql } from "@/db/client";
import { getLogger } from "@/lib/observability/logger";

export type CheckStatus = "healthy" | "degraded" | "unhealthy";
export type ComponentCheck = { name: string; status: CheckStatus; latencyMs: number; message?: string };
export type Readiness = { status: CheckStatus; checkedAt: string; checks: ComponentCheck[] };

const TIMEOUT_MS = 2000;
const SLOW_MS = 500;

async function timed(name: string, probe: () => Promise<unknown>): Promise<ComponentCheck> {
  const start = performance.now();
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS))]);
    const latencyMs = Math.round((performance.now() - start) * 10) / 10;
    return { name, status: latencyMs > SLOW_MS ? "degraded" : "healthy", latencyMs };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - start);
    getLogger().warn({ err, component: name }, "readiness check failed");
    return { name, status: "unhealthy", latencyMs, message: latencyMs >= TIMEOUT_MS ? `no answer within ${TIMEOUT_MS} ms` : "unreachable" };
  }
}

/** Readiness of every dependency; the worst component decides the overall status. */
export async function checkReadiness(): Promise<Readiness> {
  const checks = await Promise.all([timed("postgresql", () => getSql()`select 1`)]);
  const status: CheckStatus = checks.some((c) => c.status === "unhealthy") ? "unhealthy" : checks.some((c) => c.status === "degraded") ? "degraded" : "healthy";
  return { status, checkedAt: new Date().toISOString(), checks };
}
