import { Badge } from "@/components/ui/badge";
import type { CheckStatus } from "@/lib/services/health/check-ready";

const VARIANT = { healthy: "success", degraded: "warning", unhealthy: "destructive" } as const;

export function StatusBadge({ status }: { status: CheckStatus }) {
  return <Badge variant={VARIANT[status]}>{status}</Badge>;
}
