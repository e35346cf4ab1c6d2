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

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export const formatTime = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 19) : "—");
