import { Badge } from "@/components/ui/badge";
import { APPROVAL_TIMED_OUT, operationOutcome, REJECTED, SUCCEEDED_WITH_FAILURES } from "@/lib/operation-status";

const VARIANT: Record<string, "default" | "secondary" | "success" | "warning" | "destructive" | "outline"> = {
  queued: "outline",
  running: "default",
  waiting: "warning",
  succeeded: "success",
  [SUCCEEDED_WITH_FAILURES]: "warning",
  failed: "destructive",
  cancelled: "secondary",
  [REJECTED]: "secondary",
  [APPROVAL_TIMED_OUT]: "secondary",
  pending: "outline",
  skipped: "secondary",
};

/** An operation's (or a checkpoint's) status; with the operation's result, a success with dead letters says so. */
export function OperationStatus({ status, result }: { status: string; result?: Record<string, unknown> | null }) {
  const outcome = operationOutcome({ status, result });
  return (
    <Badge variant={VARIANT[outcome.key] ?? "outline"} data-outcome={outcome.key}>
      {outcome.label}
    </Badge>
  );
}
