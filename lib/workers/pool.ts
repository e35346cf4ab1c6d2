import os from "node:os";
import { Worker } from "node:worker_threads";
import { env } from "@/lib/env";
import { getLogger } from "@/lib/observability/logger";
import type { Tasks } from "./tasks";
import type { TaskReply, TaskRequest } from "./worker";

type Job = { request: TaskRequest; resolve: (output: unknown) => void; reject: (err: Error) => void; urgent?: boolean };
type Slot = { worker: Worker; job: Job | null };
type Pool = { slots: Slot[]; queue: Job[]; nextId: number };

// One pool per process (and across dev hot reloads).
const pool = ((globalThis as { __stevedoreWorkers?: Pool }).__stevedoreWorkers ??= { slots: [], queue: [], nextId: 1 });

/**
 * A worker's heap: V8 lets garbage pile up to a gigabyte unless told otherwise. Parsing a 19.5 MB
 * text file of the 20 MiB maximum fits in 128 MB (2026-12-02); HTML, PDF and DOCX build larger
 * trees, so they get room. A file that needs more is refused as too large (lib/pipeline/parse-files.ts).
 * (256 MB did not lower the memory bench's peak: that is the main thread and LanceDB.)
 */
const WORKER_HEAP_MB = 512;

/** STEVEDORE_WORKER_THREADS, or one core less than the machine has (at least 1, at most 4). */
function workerCount(): number {
  return env().STEVEDORE_WORKER_THREADS ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/**
 * Runs one of the pipeline's CPU- and file-bound tasks (`./tasks`) in a worker thread, so parsing
 * a large PDF or hashing a folder never stalls the server's requests. Tasks queue for the first
 * free worker, `urgent` ones ahead of the others; a worker that dies fails only its own task and
 * is replaced.
 */
export function runTask<K extends keyof Tasks>(task: K, input: Parameters<Tasks[K]>[0], opts: { urgent?: boolean } = {}): Promise<Awaited<ReturnType<Tasks[K]>>> {
  return new Promise((resolve, reject) => {
    const job = { request: { id: pool.nextId++, task, input }, resolve: resolve as (output: unknown) => void, reject };
    if (opts.urgent) {
      const firstOrdinary = pool.queue.findIndex((j) => !j.urgent);
      pool.queue.splice(firstOrdinary === -1 ? pool.queue.length : firstOrdinary, 0, { ...job, urgent: true });
    } else pool.queue.push(job);
    dispatch();
  });
}

function dispatch(): void {
  while (pool.queue.length) {
    let slot = pool.slots.find((s) => !s.job);
    if (!slot && pool.slots.length < workerCount()) slot = startWorker();
    if (!slot) return;
    slot.job = pool.queue.shift()!;
    slot.worker.ref();
    slot.worker.postMessage(slot.job.request);
  }
}

function startWorker(): Slot {
  // The worker runs worker.ts from source through tsx, as `npm start` runs the launcher. The
  // address is built from a string so that the bundler leaves it alone: in a build, as in the
  // tests, import.meta.url names this source file.
  const entry = import.meta.url.replace(/pool\.ts$/, "worker.ts");
  const worker = new Worker(`import("tsx/esm/api").then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`, { eval: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const slot: Slot = { worker, job: null };
  worker.on("message", (reply: TaskReply) => {
    const job = slot.job;
    if (!job || job.request.id !== reply.id) return;
    slot.job = null;
    worker.unref(); // an idle worker does not keep the process alive
    if (reply.error) job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, stack: reply.error.stack }));
    else job.resolve(reply.output);
    dispatch();
  });
  const retire = (err: Error) => {
    pool.slots = pool.slots.filter((s) => s !== slot);
    if (slot.job) slot.job.reject(err);
    slot.job = null;
    dispatch();
  };
  worker.on("error", (err) => {
    getLogger().error({ err }, "pipeline worker thread failed");
    retire(err);
  });
  worker.on("exit", (code) => retire(new Error(`pipeline worker thread exited with code ${code}`)));
  pool.slots.push(slot);
  return slot;
}

/** Stops the workers (shutdown); queued and running tasks fail. The next task starts new ones. */
export async function stopWorkers(): Promise<void> {
  const slots = pool.slots;
  pool.slots = [];
  for (const job of pool.queue.splice(0)) job.reject(new Error("pipeline workers stopped"));
  await Promise.all(slots.map((s) => s.worker.terminate()));
}
