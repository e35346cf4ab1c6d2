import { Badge } from "@/components/ui/badge";

const VARIANT = {
  queued: "outline",
  running: "default",
  sleeping: "secondary",
  waiting: "warning",
  completed: "success",
  failed: "destructive",
  cancelled: "secondary",
} as const;

export function RunStatus({ status }: { status: string }) {
  return <Badge variant={VARIANT[status as keyof typeof VARIANT] ?? "outline"}>{status}</Badge>;
}
