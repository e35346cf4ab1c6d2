import { Badge } from "@/components/ui/badge";

type Variant = "default" | "secondary" | "success" | "warning" | "destructive" | "outline";

const COLLECTION_VARIANT: Record<string, Variant> = { creating: "outline", ready: "success", busy: "default", error: "destructive", deleting: "warning" };

export function CollectionStatus({ status, ...props }: { status: string; "data-testid"?: string }) {
  return (
    <Badge variant={COLLECTION_VARIANT[status] ?? "outline"} {...props}>
      {status}
    </Badge>
  );
}

const STAGE_VARIANT: Record<string, Variant> = { complete: "success", failed: "warning", dead: "destructive" };

export function StageBadge({ stage }: { stage: string }) {
  return <Badge variant={STAGE_VARIANT[stage] ?? "outline"}>{stage}</Badge>;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");

/** "YYYY-MM-DD HH:MM:SS" in UTC, whatever offset the database wrote into its JSON. */
export function formatUtc(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace("T", " ").slice(0, 19);
}
