import { Badge } from "@/components/ui/badge";

const VARIANT: Record<string, "default" | "secondary" | "success" | "warning" | "destructive" | "outline"> = {
  queued: "outline",
  running: "default",
  waiting: "warning",
  succeeded: "success",
  failed: "destructive",
  cancelled: "secondary",
  pending: "outline",
  skipped: "secondary",
};

export function OperationStatus({ status }: { status: string }) {
  return <Badge variant={VARIANT[status] ?? "outline"}>{status}</Badge>;
}
