import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readBackup } from "@/lib/backup/read";
import { readRawGzipLines, writeRawGzipLines } from "@/lib/backup/raw-baseline";
import type { BackupManifestInput } from "@/lib/backup/schema";
import { writeBackup, type BackupPointInput } from "@/lib/backup/write";
import { round } from "./harness";

const DIM = 384;
type Mode = "format" | "raw";
type ChildResult = { points: number; bytes: number; write_s: number; read_s: number; peak_added_rss_mb: number };

/** Points as a store scan yields them: 1,024 distinct random vectors cycled (no memory held per point), chunk-sized text. */
function* benchPoints(count: number): Generator<BackupPointInput> {
  let state = 42;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const pool = Array.from({ length: 1024 }, () => Float32Array.from({ length: DIM }, next));
  const words = "backup restore vector collection alias version golden query operator payload chunk document".split(" ");
  for (let i = 0; i < count; i++) {
    const text = Array.from({ length: 80 }, (_, j) => words[(i * 7 + j * 13) % words.length]).join(" ");
    yield { id: `00000000-0000-5000-8000-${String(i).padStart(12, "0")}`, vector: pool[i % pool.length]!, payload: { document_id: `doc-${i >> 4}`, ordinal: i & 15, path: `manuals/file-${i >> 4}.md`, text } };
  }
}

function manifest(points: number): BackupManifestInput {
  return {
    kind: "full",
    createdAt: new Date().toISOString(),
    collection: { name: "bench", embeddingModel: "builtin-hash", dimension: DIM, distance: "cosine", chunkSize: 1200, chunkOverlap: 150 },
    counts: { points, documents: Math.ceil(points / 16), sources: 1 },
    vectors: { included: true, unitLength: false },
  };
}

/** One size in a process of its own: the OS's peak RSS (maxRSS) then belongs to this run alone. */
async function runChild(mode: Mode, points: number): Promise<ChildResult> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stevedore-backup-bench-")), `bench.${mode}.jsonl.gz`);
  const startRss = process.memoryUsage.rss();
  let started = performance.now();
  let bytes: number;
  if (mode === "format") bytes = (await writeBackup(manifest(points), benchPoints(points), fs.createWriteStream(file))).bytes;
  else bytes = await writeRawGzipLines(benchPoints(points), file);
  const writeS = (performance.now() - started) / 1000;
  started = performance.now();
  let read = 0;
  if (mode === "format") {
    for await (const record of readBackup(fs.createReadStream(file))) if (record.type === "point") read++;
  } else {
    for await (const point of readRawGzipLines(file)) if (point.vector) read++;
  }
  const readS = (performance.now() - started) / 1000;
  if (read !== points) throw new Error(`read ${read} of ${points} points`);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const peakAdded = (process.resourceUsage().maxRSS * 1024 - startRss) / 1_000_000;
  return { points, bytes, write_s: writeS, read_s: readS, peak_added_rss_mb: Math.max(0, peakAdded) };
}

function child(mode: Mode, points: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", path.resolve("bench/backup-format.ts"), mode, String(points)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`backup-format child (${mode}, ${points}) exited ${code}`))));
  });
}

/** `npm run bench -- backup-format`: the format's writer and reader at 10k and 100k points, beside raw gzip JSON lines. */
export async function benchBackupFormat(): Promise<Record<string, unknown>> {
  const small = await child("format", 10_000);
  const large = await child("format", 100_000);
  const raw = await child("raw", 100_000);
  return {
    bench: "backup-format",
    points: large.points,
    dim: DIM,
    bytes: large.bytes,
    write_s: round(large.write_s, 2),
    read_s: round(large.read_s, 2),
    write_points_per_s: Math.round(large.points / large.write_s),
    read_points_per_s: Math.round(large.points / large.read_s),
    raw_write_s: round(raw.write_s, 2),
    raw_read_s: round(raw.read_s, 2),
    write_ratio: round(large.write_s / raw.write_s, 2),
    read_ratio: round(large.read_s / raw.read_s, 2),
    raw_bytes: raw.bytes,
    peak_added_rss_mb_10k: Math.round(small.peak_added_rss_mb),
    peak_added_rss_mb_100k: Math.round(large.peak_added_rss_mb),
    cpus: os.cpus().length,
    load_avg_1m: round(os.loadavg()[0]!, 2),
  };
}

if (process.argv[2] === "format" || process.argv[2] === "raw") {
  const [mode, points] = [process.argv[2] as Mode, Number(process.argv[3])];
  runChild(mode, points).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error: unknown) => (process.stderr.write(`${String(error)}\n`), process.exit(1)),
  );
}
