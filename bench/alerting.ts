import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { closeDb, getDb } from "@/db/client";
import { isNotNull } from "drizzle-orm";
import { alertRules, notificationChannels } from "@/db/schema/alerts";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { reloadEnv } from "@/lib/env";
import { freePort } from "@/lib/runtime/embedded-postgres";
import { benchDatabase, round } from "./harness";

const RULES = 1000;
const COLLECTIONS = 100;
/** Rules that fire when a collection has a failed operation; the rest watch thresholds never reached. */
const FIRING_RULES = 10;
const ROUNDS = Number(process.env.BENCH_ALERT_ROUNDS ?? 20);
const log = (line: string) => process.stderr.write(`alerting: ${line}\n`);
const p95 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]! : null);

/**
 * 1,000 rules on operations_failed_15m over 100 collections (100,000 series per evaluation), the
 * app's real functions behind serve() and the local executor, a loopback webhook. Each round fails
 * one collection's operation; the evaluation that sees it fires 10 alerts (10 rules), their
 * notifications go through notify-channel to the webhook. Notify latency: from the start of that
 * evaluation to the webhook receiving; duplicates: the same (alert, firing) received twice.
 */
export async function benchAlerting() {
  const db = await benchDatabase();
  const received: { at: number; key: string }[] = [];
  const hook = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        for (const a of body.alerts ?? [body.alert]) if (a && body.kind === "firing") received.push({ at, key: `${a.id}:${a.fireCount}` });
      } catch {
        // not a notification: ignored
      }
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;

  const base = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-bench-alerting-"));
  const port = await freePort();
  const executorUrl = `http://127.0.0.1:${port}`;
  const signingKey = `signkey-bench-${randomBytes(32).toString("hex")}`;
  const eventKey = `bench-${randomUUID()}`;
  delete process.env.INNGEST_DEV;
  Object.assign(process.env, {
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: eventKey,
    INNGEST_EVENT_API_BASE_URL: executorUrl,
    INNGEST_API_BASE_URL: executorUrl,
    STEVEDORE_EXECUTOR: "local",
    STEVEDORE_DATA_DIR: path.join(base, "data"),
    STEVEDORE_SOURCE_ROOTS: base,
    // The bench drives evaluation itself, to time each one; the cron stays out of the way.
    STEVEDORE_ALERT_EVAL_CRON: "0 0 1 1 *",
  });
  reloadEnv();
  const { inngest } = await import("@/inngest/client");
  const { functions } = await import("@/inngest/functions");
  const { startAppServer } = await import("@/inngest/local-executor/test-support/app-server");
  const { startLocalExecutor } = await import("@/inngest/local-executor");
  const { evaluateAlerts } = await import("@/lib/alerts/evaluate");
  const { escalationEvents, notificationEvents } = await import("@/lib/alerts/notify");
  const app = await startAppServer(inngest, functions);
  const executor = await startLocalExecutor({ databaseUrl: db.url, appUrl: app.url, port, signingKey, eventKey, syncOnStart: false, logger: pino({ level: "silent" }) });
  await executor.sync();

  try {
    const cs = await getDb()
      .insert(collections)
      .values(Array.from({ length: COLLECTIONS }, (_, i) => ({ name: `bench-${String(i).padStart(3, "0")}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb" as const, status: "ready" as const })))
      .returning();
    const [channel] = await getDb().insert(notificationChannels).values({ name: "bench hook", type: "webhook", config: { url: hookUrl, secret: randomBytes(32).toString("hex") } }).returning();
    await getDb()
      .insert(alertRules)
      .values(
        Array.from({ length: RULES }, (_, i) => ({
          name: `bench rule ${i}`,
          kind: "metric" as const,
          source: "operations_failed_15m",
          operator: "gt" as const,
          threshold: i < FIRING_RULES ? 0 : 1000 + i,
          channelIds: [channel!.id],
        })),
      );
    const evaluate = async () => {
      const start = performance.now();
      const evaluation = await evaluateAlerts();
      const ms = performance.now() - start;
      const events = [...notificationEvents(evaluation.notifications), ...escalationEvents(evaluation.notifications)];
      if (events.length) await inngest.send(events);
      return { start, ms, evaluation, keys: evaluation.notifications.filter((n) => n.kind === "firing").map((n) => `${n.alertId}:${n.fireCount}`) };
    };
    await evaluate(); // seeds the default rules, which the bench then leaves out
    await getDb().update(alertRules).set({ enabled: false }).where(isNotNull(alertRules.builtinKey));
    const warm = await evaluate();
    log(`warm-up evaluation ${round(warm.ms)} ms over ${warm.evaluation.series} series`);

    const evalMs: number[] = [];
    const firedAt = new Map<string, number>();
    let series = 0;
    for (let r = 0; r < ROUNDS; r++) {
      await getDb().insert(operations).values({ type: "INDEX", collectionId: cs[r % COLLECTIONS]!.id, status: "failed", correlationId: randomUUID(), finishedAt: new Date() });
      const e = await evaluate();
      evalMs.push(e.ms);
      series = e.evaluation.series;
      for (const k of e.keys) firedAt.set(k, e.start);
      // An idle evaluation between rounds: nothing new, nothing sent.
      evalMs.push((await evaluate()).ms);
    }
    const expected = firedAt.size;
    const deadline = Date.now() + 60_000;
    while (new Set(received.map((x) => x.key)).size < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 2000)); // late copies, if any, would arrive now
    const first = new Map<string, number>();
    for (const x of received) if (!first.has(x.key)) first.set(x.key, x.at);
    const latencies = [...firedAt].filter(([k]) => first.has(k)).map(([k, at]) => first.get(k)! - at);
    const missing = expected - latencies.length;
    if (missing) log(`${missing} of ${expected} notifications never arrived`);
    return {
      bench: "alerting",
      rules: RULES,
      series,
      eval_ms_p95: round(p95(evalMs) ?? 0),
      notify_latency_p95_ms: round(p95(latencies) ?? 0),
      notifications: received.length,
      duplicates: received.length - new Set(received.map((x) => x.key)).size,
      ...(missing ? { missing } : {}),
    };
  } finally {
    await executor.stop();
    await app.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
    await closeDb();
    await db.stop();
    await fs.rm(base, { recursive: true, force: true });
  }
}
