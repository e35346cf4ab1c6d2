import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { benchDatabase, round } from "./harness";

const DIM = 384;
type ChildResult = { points: number; backup_s: number; restore_s: number; raw_backup_s: number; raw_restore_s: number; bytes: number; peak_added_rss_mb: number };

/** RSS sampled every 20 ms while `work` runs: the peak above the RSS it started at. */
async function peakAdded<T>(work: () => Promise<T>): Promise<{ value: T; addedMb: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, addedMb: (peak - start) / 1_000_000 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * One size in a process of its own: PostgreSQL, the local executor and the app's functions (as
 * `npm start` runs them), a collection of `points` 384-d points with chunk-sized text seeded
 * straight into LanceDB, then the BACKUP and a RESTORE into a new collection as operations, timed
 * from the start request to the operation's end. The baselines, in the same run: the same scan
 * written straight to gzip JSON lines, and those lines bulk-inserted straight into a fresh table.
 */
async function runChild(points: number): Promise<ChildResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "stevedore-backup-bench-"));
  const db = await benchDatabase();
  const { freePort } = await import("@/lib/runtime/embedded-postgres");
  const { TEST_EVENT_KEY, TEST_SIGNING_KEY } = await import("@/inngest/local-executor/test-support/harness");
  const port = await freePort();
  Object.assign(process.env, { INNGEST_SIGNING_KEY: TEST_SIGNING_KEY, INNGEST_EVENT_KEY: TEST_EVENT_KEY, INNGEST_EVENT_API_BASE_URL: `http://127.0.0.1:${port}`, INNGEST_API_BASE_URL: `http://127.0.0.1:${port}`, STEVEDORE_EXECUTOR: "local", STEVEDORE_DATA_DIR: path.join(root, "data"), STEVEDORE_DISK_MARGIN_BYTES: "0" });
  delete process.env.INNGEST_DEV;
  (await import("@/lib/env")).reloadEnv();
  const { inngest } = await import("@/inngest/client");
  const { functions } = await import("@/inngest/functions");
  const { startAppServer } = await import("@/inngest/local-executor/test-support/app-server");
  const { startLocalExecutor } = await import("@/inngest/local-executor");
  const app = await startAppServer(inngest, functions);
  const executor = await startLocalExecutor({ databaseUrl: db.url, appUrl: app.url, port, signingKey: TEST_SIGNING_KEY, eventKey: TEST_EVENT_KEY, syncOnStart: false, logger: pino({ level: "silent" }) });
  await executor.sync();
  try {
    const { seedCollection, waitForOperation } = await import("./backup-seed");
    const { systemContext } = await import("@/lib/services/context");
    const { startBackup } = await import("@/lib/services/backup/start");
    const { startRestore } = await import("@/lib/services/backup/restore");
    const { getBackup } = await import("@/lib/services/backup/manage");
    const { getVectorStore } = await import("@/lib/vector");
    const { readRawGzipLines, writeRawGzipLines } = await import("@/lib/backup/raw-baseline");
    const ctx = systemContext();
    const { collectionId, physicalName } = await seedCollection("bench", points, DIM);
    const store = await getVectorStore();

    const backup = await peakAdded(async () => {
      const started = performance.now();
      const { operationId, backupId } = await startBackup({ ctx, input: { collectionId } });
      await waitForOperation(operationId);
      return { seconds: (performance.now() - started) / 1000, backupId };
    });
    const file = await getBackup({ ctx, input: { backupId: backup.value.backupId } });
    const restore = await peakAdded(async () => {
      const started = performance.now();
      const { operationId } = await startRestore({ ctx, input: { backupId: file.id, mode: "new", into: "bench-restored" } });
      await waitForOperation(operationId);
      return (performance.now() - started) / 1000;
    });
    if ((await store.count("bench-restored")) !== points) throw new Error("the restored collection does not hold every point");
    await reportBreakdown(points, { backup: backup.addedMb, restore: restore.addedMb });

    const rawFile = path.join(root, "raw.jsonl.gz");
    let started = performance.now();
    await writeRawGzipLines(scrollAll(store, physicalName), rawFile);
    const rawBackupS = (performance.now() - started) / 1000;
    started = performance.now();
    await store.createCollection("raw_restore", { dimension: DIM, distance: "cosine" });
    const batch: Array<{ id: string; vector: Float32Array; payload: Record<string, string | number | boolean | null> }> = [];
    for await (const p of readRawGzipLines(rawFile)) {
      batch.push({ id: p.id, vector: p.vector!, payload: p.payload as Record<string, string> });
      if (batch.length === 2000) await store.insert("raw_restore", batch.splice(0));
    }
    if (batch.length) await store.insert("raw_restore", batch);
    await store.optimize("raw_restore");
    const rawRestoreS = (performance.now() - started) / 1000;
    return { points, backup_s: backup.value.seconds, restore_s: restore.value, raw_backup_s: rawBackupS, raw_restore_s: rawRestoreS, bytes: file.sizeBytes ?? 0, peak_added_rss_mb: Math.max(backup.addedMb, restore.addedMb) };
  } finally {
    await executor.stop();
    await app.close();
    await db.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Where each operation's time went (its checkpoints, first start to last finish) and each one's peak, on stderr: the JSON line stays as the issue defines it. */
async function reportBreakdown(points: number, peaks: Record<string, number>) {
  const { getDb } = await import("@/db/client");
  const { operations, operationSteps } = await import("@/db/schema/operations");
  const { eq, asc } = await import("drizzle-orm");
  const db = getDb();
  for (const op of await db.select().from(operations).orderBy(asc(operations.createdAt))) {
    if (!["BACKUP", "RESTORE"].includes(op.type)) continue;
    const steps = await db.select().from(operationSteps).where(eq(operationSteps.operationId, op.id)).orderBy(asc(operationSteps.startedAt));
    const total = op.finishedAt && op.createdAt ? (op.finishedAt.getTime() - op.createdAt.getTime()) / 1000 : null;
    const parts = steps.map((s) => `${s.name} ${s.startedAt && s.finishedAt ? ((s.finishedAt.getTime() - s.startedAt.getTime()) / 1000).toFixed(2) : "?"}s`);
    process.stderr.write(`backup bench ${points}: ${op.type} ${total?.toFixed(2)}s (${parts.join(", ")}) peak ${Math.round(peaks[op.type === "BACKUP" ? "backup" : "restore"]!)} MB\n`);
  }
}

async function* scrollAll(store: Awaited<ReturnType<typeof import("@/lib/vector").getVectorStore>>, name: string) {
  for (let cursor: string | null = null; ; ) {
    const page = await store.scroll(name, { limit: 1000, cursor, withVectors: true });
    for (const p of page.points) yield { id: p.id, vector: p.vector as Float32Array, payload: p.payload };
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

function child(points: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", path.resolve("bench/backup.ts"), "child", String(points)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!) as ChildResult) : reject(new Error(`backup bench child (${points}) exited ${code}`))));
  });
}

/** `npm run bench -- backup`: BACKUP and RESTORE operations at 10k and 100k points, beside the raw scan-and-gzip and bulk insert. */
export async function benchBackup(): Promise<Record<string, unknown>> {
  const small = await child(10_000);
  const large = await child(100_000);
  return {
    bench: "backup",
    points: large.points,
    dim: DIM,
    backup_s: round(large.backup_s, 2),
    restore_s: round(large.restore_s, 2),
    raw_backup_s: round(large.raw_backup_s, 2),
    raw_restore_s: round(large.raw_restore_s, 2),
    backup_ratio: round(large.backup_s / large.raw_backup_s, 2),
    restore_ratio: round(large.restore_s / large.raw_restore_s, 2),
    bytes: large.bytes,
    peak_added_rss_mb_10k: Math.round(small.peak_added_rss_mb),
    peak_added_rss_mb_100k: Math.round(large.peak_added_rss_mb),
    cpus: os.cpus().length,
    load_avg_1m: round(os.loadavg()[0]!, 2),
  };
}

if (process.argv[2] === "child") {
  runChild(Number(process.argv[3])).then(
    (result) => (process.stdout.write(`\n${JSON.stringify(result)}\n`), process.exit(0)),
    (error: unknown) => (process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`), process.exit(1)),
  );
}
