import type { IncomingEvent, RunRow } from "./context";

export const FAILED_EVENT = "inngest/function.failed";
export const FINISHED_EVENT = "inngest/function.finished";
export const CANCELLED_EVENT = "inngest/function.cancelled";

// A run that one of these triggered announces nothing, so a handler of them cannot trigger itself forever.
const RUN_END_EVENTS = new Set([FAILED_EVENT, FINISHED_EVENT, CANCELLED_EVENT]);

/** Inngest's error for every cancelled run, whatever cancelled it. */
export const CANCELLED_ERROR = { name: "Error", message: "function cancelled" };

export type RunEnd = { status: "completed"; result: unknown } | { status: "failed"; error: Record<string, unknown> } | { status: "cancelled"; reason: string };

type EndedRun = Pick<RunRow, "id" | "function_id" | "event" | "parent_run_id" | "parent_step">;

/**
 * The system events announcing a run's end, in Inngest's shapes: `inngest/function.failed` or
 * `inngest/function.cancelled`, then `inngest/function.finished` (with `result` or `error`).
 */
export function runEndEvents(run: EndedRun, end: RunEnd): IncomingEvent[] {
  if (typeof run.event.name === "string" && RUN_END_EVENTS.has(run.event.name)) return [];
  const base: Record<string, unknown> = { function_id: run.function_id, run_id: run.id, event: run.event };
  // Inngest correlates an invoked run's finish with the invoking step as `<parent run>.<step>`.
  if (run.parent_run_id && run.parent_step) base.correlation_id = `${run.parent_run_id}.${run.parent_step}`;
  const ts = Date.now();
  if (end.status === "completed") return [{ name: FINISHED_EVENT, data: { ...base, result: end.result ?? null }, ts }];
  if (end.status === "failed") {
    return [
      { name: FAILED_EVENT, data: { ...base, error: end.error }, ts },
      { name: FINISHED_EVENT, data: { ...base, error: end.error }, ts },
    ];
  }
  return [
    { name: CANCELLED_EVENT, data: { ...base, error: CANCELLED_ERROR, reason: end.reason }, ts },
    { name: FINISHED_EVENT, data: { ...base, error: CANCELLED_ERROR, reason: end.reason }, ts },
  ];
}
