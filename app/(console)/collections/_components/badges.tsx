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
