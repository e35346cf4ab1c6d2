import type { AlertOperator, AlertStatus } from "@/db/schema/alerts";

/** What an alert's row holds of its life: enough to decide its next state. */
export type AlertSnapshot = {
  status: AlertStatus;
  activeSince: Date;
  firedAt: Date | null;
  fireCount: number;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  ackReason: string | null;
  resolvedAt: Date | null;
};

/** What to tell the rule's channels about this step: it fired (again), or it resolved. */
export type Notice = "firing" | "resolved" | null;

/** `state` null: no row (a condition that went away before its "for" ran out, never having fired). */
export type Step = { state: AlertSnapshot | null; notice: Notice };

export function compare(operator: AlertOperator, value: number, threshold: number): boolean {
  switch (operator) {
    case "gt":
      return value > threshold;
    case "gte":
      return value >= threshold;
    case "lt":
      return value < threshold;
    case "lte":
      return value <= threshold;
    case "eq":
      return value === threshold;
  }
}

const unacknowledged = { acknowledgedAt: null, acknowledgedBy: null, ackReason: null };

/**
 * One evaluation of one fingerprint: pending → firing (once the condition has held `forSeconds`) →
 * acknowledged (by an operator, elsewhere) → resolved when it stops holding, acknowledgement cleared.
 * A resolved alert whose condition returns goes round again; each firing counts in `fireCount`.
 */
export function stepAlert(prev: AlertSnapshot | null, active: boolean, now: Date, forSeconds: number): Step {
  const open = prev && prev.status !== "resolved";
  if (!active) {
    if (!prev || !open) return { state: prev, notice: null };
    if (prev.status === "pending") return { state: prev.fireCount === 0 ? null : { ...prev, status: "resolved" }, notice: null };
    return { state: { ...prev, ...unacknowledged, status: "resolved", resolvedAt: now }, notice: "resolved" };
  }
  if (open && prev.status !== "pending") return { state: prev, notice: null };
  const activeSince = open ? prev.activeSince : now;
  if (now.getTime() - activeSince.getTime() >= forSeconds * 1000) {
    return {
      state: { ...unacknowledged, status: "firing", activeSince, firedAt: now, fireCount: (prev?.fireCount ?? 0) + 1, resolvedAt: null },
      notice: "firing",
    };
  }
  return { state: { ...unacknowledged, firedAt: prev?.firedAt ?? null, fireCount: prev?.fireCount ?? 0, status: "pending", activeSince, resolvedAt: prev?.resolvedAt ?? null }, notice: null };
}
