import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { round } from "./harness";
import { signedInFetch, startBenchConsole } from "./ingest";

const MB = 1_000_000;
/** Big files are 15–20 MB, all under the default 20 MiB limit for one document, so they are indexed, not refused. */
const BIG_MIN = 15 * MB;
const BIG_MAX = 20 * MB;
const TEXT_EXTENSIONS = new Set([".txt", ".md", ".markdown", ".html", ".htm", ".json", ".csv"]);
const UPLOAD_BYTES = 200 * MB;

type Found = { file: string; size: number };

/** Regular files under `dir` (links to files followed, links to folders not), in name order; unreadable parts skipped. */
async function* walk(dir: string, skip: (dir: string) => boolean = () => false): AsyncGenerator<Found> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip(full)) yield* walk(full, skip);
      continue;
    }
    const stat = await fs.stat(full).catch(() => null);
    if (stat?.isFile()) yield { file: full, size: stat.size };
  }
}

/** Copies every regular file under `from` to the same relative path under `to` (links become copies of their targets). */
async function copyTree(from: string, to: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for await (const { file, size } of walk(from)) {
    const target = path.join(to, path.relative(from, file));
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (await fs.copyFile(file, target).then(() => true, () => false)) {
      files++;
      bytes += size;
    }
  }
  return { files, bytes };
}

/**
 * Real 15–20 MB text files from this machine into `to`: those that exist as they are (under
 * /usr/share and the home folder), then, to have `count`, others made by concatenating real text
 * files (type declarations and JavaScript of node_modules, Python's standard library), each
 * source file used once.
 */
async function bigRealFiles(to: string, count: number): Promise<Found[]> {
  await fs.mkdir(to, { recursive: true });
  const out: Found[] = [];
  const skip = (dir: string) => /\/(\.git|\.cache|\.npm|\.stevedore|\.next|node_modules|package-lists|site-packages)$/.test(dir) || dir.startsWith(to);
  for (const root of ["/usr/share", os.homedir()]) {
    for await (const { file, size } of walk(root, skip)) {
      if (size < BIG_MIN || size > BIG_MAX) continue;
      const ext = path.extname(file).toLowerCase();
      // Real text under another name (a .log, a .js bundle) is indexed as .txt; binaries are not wanted.
      const asText = TEXT_EXTENSIONS.has(ext) ? ext : [".log", ".js", ".css", ".xml", ".svg"].includes(ext) ? ".txt" : null;
      if (!asText) continue;
      const target = path.join(to, `${out.length}-${path.basename(file, ext)}${asText}`);
      await fs.copyFile(file, target);
      out.push({ file: target, size });
      if (out.length >= count) return out;
    }
  }
  const pieces: Record<string, Found[]> = { dts: [], js: [], py: [] };
  for await (const found of walk(path.resolve("node_modules"), (d) => d.endsWith(".cache"))) {
    if (found.size > 2 * MB) continue;
    if (found.file.endsWith(".d.ts")) pieces.dts!.push(found);
    else if (found.file.endsWith(".js")) pieces.js!.push(found);
  }
  for (const lib of (await fs.readdir("/usr/lib").catch(() => [])).filter((d) => /^python3\.\d+$/.test(d))) {
    for await (const found of walk(path.join("/usr/lib", lib), (d) => /site-packages|dist-packages|__pycache__/.test(d))) if (found.file.endsWith(".py") && found.size <= 2 * MB) pieces.py!.push(found);
  }
  const plan = [
    { from: pieces.dts!, name: "node-modules-type-declarations", ext: ".txt" },
    { from: pieces.dts!, name: "node-modules-type-declarations-2", ext: ".txt" },
    { from: pieces.js!, name: "node-modules-javascript", ext: ".txt" },
    { from: pieces.py!, name: "python-standard-library", ext: ".txt" },
    { from: pieces.js!, name: "node-modules-javascript-2", ext: ".txt" },
    { from: pieces.py!, name: "python-standard-library-2", ext: ".txt" },
  ];
  for (const [i, { from, name, ext }] of plan.entries()) {
    if (out.length >= count) break;
    const goal = BIG_MIN + ((BIG_MAX - BIG_MIN) * ((i % 5) + 0.5)) / 5;
    const target = path.join(to, `${out.length}-${name}${ext}`);
    const handle = await fs.open(target, "w");
    let size = 0;
    while (from.length && size < goal) {
      const piece = from.shift()!;
      const text = await fs.readFile(piece.file).catch(() => null);
      const header = `\n\n// ${path.basename(piece.file)}\n\n`;
      if (!text || size + text.length + Buffer.byteLength(header) > BIG_MAX) continue;
      await handle.write(header);
      await handle.write(text);
      size += text.length + Buffer.byteLength(header);
    }
    await handle.close();
    if (size >= BIG_MIN && size <= BIG_MAX) out.push({ file: target, size });
    else await fs.rm(target);
  }
  return out;
}

/** Mid-sized real text files of node_modules (0.5–10 MB: bundled docs, JSON data, HTML), as they are. */
async function mediumRealFiles(to: string, limit: number): Promise<{ files: number; bytes: number }> {
  await fs.mkdir(to, { recursive: true });
  let files = 0;
  let bytes = 0;
  for await (const { file, size } of walk(path.resolve("node_modules"), (d) => d.endsWith(".cache"))) {
    if (size < 0.5 * MB || size > 10 * MB || !TEXT_EXTENSIONS.has(path.extname(file).toLowerCase())) continue;
    await fs.copyFile(file, path.join(to, `${files}-${path.basename(file)}`));
    files++;
    bytes += size;
    if (files >= limit) break;
  }
  return { files, bytes };
}

/** The folder the benchmark indexes: a copy of /usr/share/doc, mid-sized and 15–20 MB real text files. */
export async function writeRealCorpus(corpus: string): Promise<{ files: number; bytes: number; big: Found[] }> {
  const docs = await copyTree("/usr/share/doc", path.join(corpus, "usr-share-doc"));
  const medium = await mediumRealFiles(path.join(corpus, "medium"), 40);
  const big = await bigRealFiles(path.join(corpus, "big"), 6);
  return { files: docs.files + medium.files + big.length, bytes: docs.bytes + medium.bytes + big.reduce((n, f) => n + f.size, 0), big };
}

/** A multipart body of one small file and one of UPLOAD_BYTES, made on demand from a ring of buffers. */
function uploadBody(boundary: string): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const head = (name: string) => enc.encode(`--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="${name}"\r\ncontent-type: text/plain\r\n\r\n`);
  const ring = Array.from({ length: 16 }, (_, i) => new Uint8Array(64 * 1024).fill(97 + i));
  function* chunks() {
    yield head("upload-note.md");
    yield enc.encode("# Upload note\n\nA small file beside a very large one.\r\n");
    yield head("huge-upload.txt");
    for (let sent = 0, i = 0; sent < UPLOAD_BYTES; sent += 64 * 1024, i++) yield ring[i % ring.length]!.subarray(0, Math.min(64 * 1024, UPLOAD_BYTES - sent));
    yield enc.encode(`\r\n--${boundary}--\r\n`);
  }
  const it = chunks();
  return new ReadableStream({
    pull(controller) {
      const next = it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

type Operation = { status: string; result: Record<string, number> | null; error: string | null; startedAt?: string | null; finishedAt: string | null };

/**
 * The server's memory while it INDEXes a folder of real files (a copy of /usr/share/doc, mid-sized
 * text files from node_modules, and 15–20 MB text files) through the real console (`npm start`),
 * then while an operator uploads a 200 MB file over the per-file limit.
 */
export async function benchMemory(): Promise<Record<string, unknown>> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-memory-"));
  await fs.chmod(dir, 0o755);
  const corpus = path.join(dir, "corpus");
  const { files, bytes, big } = await writeRealCorpus(corpus);

  const server = await startBenchConsole(dir, corpus, 100);
  const { memory } = server;
  try {
    const { base } = server;
    const call = await signedInFetch(base);
    const finished = async (operationId: string): Promise<Operation> => {
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        const op = ((await (await call(`/api/v1/operations/${operationId}`)).json()) as { data: { operation: Operation } }).data.operation;
        if (!["queued", "running", "waiting"].includes(op.status)) return op;
      }
    };
    const idleRss = memory.rss;
    const started = Date.now();
    const created = await call("/api/v1/collections", { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ name: "memory", source: { kind: "directory", name: "real-files", path: corpus } }) });
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
    const { data } = (await created.json()) as { data: { collectionId: string; operationId: string } };
    const op = await finished(data.operationId);
    const seconds = (Date.parse(op.finishedAt!) - started) / 1000;
    if (op.status === "failed" || op.status === "cancelled") throw new Error(`INDEX ended ${op.status}: ${op.error}`);
    const indexPeak = memory.peak;

    // Then an upload over the per-file limit: the server's memory may not follow the body's size.
    await new Promise((r) => setTimeout(r, 2000));
    const beforeUpload = memory.rss;
    memory.peak = memory.rss;
    const boundary = "----stevedore-memory-bench";
    const uploaded = await call(`/api/v1/collections/${data.collectionId}/uploads`, {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, origin: base },
      body: uploadBody(boundary),
      duplex: "half",
    } as RequestInit);
    const upload = (await uploaded.json()) as { data?: { operationId: string; refused: Array<{ name: string; reason: string }> }; error?: { message: string } };
    await new Promise((r) => setTimeout(r, 300)); // one more sample after the last byte
    const uploadGrowth = memory.peak - beforeUpload;
    if (upload.data) await finished(upload.data.operationId);

    return {
      bench: "memory",
      files,
      mb: round(bytes / MB),
      big_files: big.length,
      big_mb: big.map((f) => round(f.size / MB)),
      status: op.status,
      indexed: op.result?.inserted,
      dead: op.result?.failed,
      chunks: op.result?.chunks,
      seconds: round(seconds),
      idle_rss_mb: Math.round(idleRss),
      peak_rss_mb: Math.round(indexPeak),
      upload_mb: UPLOAD_BYTES / MB,
      upload_status: uploaded.status,
      upload_refused: upload.data?.refused.map((r) => `${r.name}: ${r.reason}`) ?? upload.error?.message,
      upload_rss_growth_mb: Math.round(uploadGrowth),
      targets: { peak_rss_mb: 1024, upload_rss_growth_mb: 50 },
    };
  } finally {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
