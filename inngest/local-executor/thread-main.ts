import { parentPort, workerData } from "node:worker_threads";
import pino from "pino";
import { startLocalExecutor } from "./index";
import type { ExecutorThreadOptions, ThreadMessage, ThreadRequest } from "./thread";

// The local executor's thread (see thread.ts): starts it, then answers sync and stop requests.
const { logLevel, logBase, ...options } = workerData as ExecutorThreadOptions;
const port = parentPort!;
const reply = (m: ThreadMessage) => port.postMessage(m);

startLocalExecutor({ ...options, logger: pino({ level: logLevel ?? "info", base: logBase }) }).then(
  (executor) => {
    port.on("message", ({ id, call }: ThreadRequest) => {
      (call === "sync" ? executor.sync() : executor.stop()).then(
        () => reply({ id }),
        (e: unknown) => reply({ id, error: e instanceof Error ? e.message : String(e) }),
      );
    });
    reply({ ready: executor.url });
  },
  (e: unknown) => reply({ startFailed: e instanceof Error ? e.message : String(e) }),
);
