import { parentPort } from "node:worker_threads";
import { tasks, type Tasks } from "./tasks";

export type TaskRequest = { id: number; task: keyof Tasks; input: unknown };
export type TaskReply = { id: number; output?: unknown; error?: { name: string; message: string; stack?: string } };

// One task at a time per worker: the pool never sends a second before the first is answered.
parentPort!.on("message", async ({ id, task, input }: TaskRequest) => {
  try {
    const output = await (tasks[task] as (input: unknown) => unknown)(input);
    parentPort!.postMessage({ id, output } satisfies TaskReply, transferable(output));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    parentPort!.postMessage({ id, error: { name: e.name, message: e.message, stack: e.stack } } satisfies TaskReply);
  }
});

/** A vector buffer (a task's output, or its `vectors`) is moved to the caller, not copied. */
function transferable(output: unknown): ArrayBuffer[] {
  const packed = output instanceof Float32Array ? output : (output as { vectors?: unknown } | null | undefined)?.vectors;
  return packed instanceof Float32Array ? [packed.buffer as ArrayBuffer] : [];
}
