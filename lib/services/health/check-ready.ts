import { getSql } from "@/db/client";
import { embedderStates } from "@/lib/embeddings";
import { env } from "@/lib/env";
import { getLogger } from "@/lib/observability/logger";
import { getVectorStore } from "@/lib/vector";
import { diskChecks, executorQueueCheck, memoryCheck } from "./system-checks";


export type CheckStatus = "healthy" | "degraded" | "unhealthy";
/** `message` is ours (classified); `detail` may hold an upstream service's own words: signed-in users only. */
export type ComponentCheck = { name: string; status: CheckStatus; latencyMs: number; message?: string; detail?: string };
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
    const detail = err instanceof Error ? err.message : String(err);
    return { name, status: "unhealthy", latencyMs, message: latencyMs >= TIMEOUT_MS ? `no answer within ${TIMEOUT_MS} ms` : "unreachable", detail };
  }
}

/** An open circuit breaker means embedding is paused: the console works, ingestion waits. */
function embedderChecks(): ComponentCheck[] {
  return embedderStates().map((s) => ({
    name: `embedder ${s.model}`,
    status: s.breaker === "closed" ? "healthy" : "degraded",
    latencyMs: 0,
    message: s.breaker === "closed" ? undefined : `circuit breaker ${s.breaker.replace("_", "-")}${s.retryAt ? `; next try at ${s.retryAt}` : ""}`,
    detail: s.breaker === "closed" || !s.lastError ? undefined : `last error: ${s.lastError}`,
  }));
}

/**
 * A vector store that does not answer degrades the console rather than taking it down: pages, the
 * job history and the audit log still work; searches fail and operations wait for it.
 */
async function vectorStoreCheck(): Promise<ComponentCheck> {
  const check = await timed("vector store", async () => {
    const health = await (await getVectorStore()).health();
    if (!health.ok) throw new Error(health.message ?? "not ok");
  });
  const down = check.status === "unhealthy";
  return { ...check, name: `vector store (${env().VECTOR_STORE})`, ...(down ? { status: "degraded", message: `${check.message}: searches fail and operations wait until it answers` } : {}) };
}

async function executorCheck(): Promise<ComponentCheck | null> {
  const base = env().STEVEDORE_LOCAL_EXECUTOR_URL;
  if (!base) return null;
  return timed("executor", async () => {
    const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`answered ${res.status}`);
  });
}

/** What anyone who can reach the console may see: each component's state, never an upstream service's words. */
export function publicReadiness(readiness: Readiness): Readiness {
  return { ...readiness, checks: readiness.checks.map(({ name, status, latencyMs, message }) => ({ name, status, latencyMs, ...(message ? { message } : {}) })) };
}

/** Readiness of every dependency; the worst component decides the overall status. */
export async function checkReadiness(): Promise<Readiness> {
  const [postgresql, vectorStore, executor, queue, disks] = await Promise.all([timed("postgresql", () => getSql()`select 1`), vectorStoreCheck(), executorCheck(), executorQueueCheck(), diskChecks()]);
  const checks = [postgresql, vectorStore, ...(executor ? [executor] : []), queue, ...embedderChecks(), ...disks, memoryCheck()];
  const status: CheckStatus = checks.some((c) => c.status === "unhealthy") ? "unhealthy" : checks.some((c) => c.status === "degraded") ? "degraded" : "healthy";
  return { status, checkedAt: new Date().toISOString(), checks };
}
