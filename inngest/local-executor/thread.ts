import { Worker } from "node:worker_threads";
import type { LocalExecutor, LocalExecutorOptions } from "./index";

/** As startLocalExecutor's options; the thread makes its own pino logger with these bindings. */
export type ExecutorThreadOptions = Omit<LocalExecutorOptions, "logger"> & { logLevel?: string; logBase?: Record<string, unknown> };

export type ThreadRequest = { id: number; call: "sync" | "stop" };
export type ThreadMessage = { ready: string } | { startFailed: string } | { id: number; error?: string };

/**
 * Runs the local executor on a thread of its own, so its SQL, HTTP and signing work uses another
 * core instead of the app's event loop (the serve() handler then has that loop to itself). Same
 * API as startLocalExecutor; `onCrash` hears of the thread dying, which must not pass unnoticed.
 */
export function startLocalExecutorThread(opts: ExecutorThreadOptions, onCrash: (err: Error) => void): Promise<LocalExecutor> {
  // Through tsx, as the app's task workers start (lib/workers/pool.ts): the address is built from a
  // string so a bundler leaves it alone.
  const entry = import.meta.url.replace(/thread\.ts$/, "thread-main.ts");
  const thread = new Worker(`import("tsx/esm/api").then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`, { eval: true, workerData: opts });
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let stopping = false;
  const request = (call: ThreadRequest["call"]) =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      thread.postMessage({ id, call } satisfies ThreadRequest);
    });
  return new Promise((resolve, reject) => {
    let started = false;
    const fail = (err: Error) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      if (!started) reject(err);
      else if (!stopping) onCrash(err);
    };
    thread.on("error", fail);
    thread.on("exit", (code) => fail(new Error(`the local executor's thread exited (code ${code})`)));
    thread.on("message", (m: ThreadMessage) => {
      if ("ready" in m) {
        started = true;
        resolve({
          url: m.ready,
          sync: () => request("sync"),
          stop: async () => {
            stopping = true;
            await request("stop");
            await thread.terminate();
          },
        });
      } else if ("startFailed" in m) {
        reject(new Error(m.startFailed));
      } else {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error === undefined) p?.resolve();
        else p?.reject(new Error(m.error));
      }
    });
  });
}
