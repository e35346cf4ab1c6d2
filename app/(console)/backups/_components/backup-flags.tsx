import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import type { CollectionBackupItem } from "./backup-queries";

/** The page's warnings: each collection whose latest backup failed, is empty, is late, or was never verified. */
export function BackupFlags({ overview }: { overview: CollectionBackupItem[] }) {
  const flagged = overview.filter((c) => c.flags.length > 0);
  if (!flagged.length) return null;
  return (
    <Alert variant="destructive" className="mb-4" data-testid="backup-flags">
      <AlertTitle>
        {flagged.length} collection{flagged.length === 1 ? "" : "s"} need{flagged.length === 1 ? "s" : ""} attention
      </AlertTitle>
      <AlertDescription>
        <ul className="list-disc space-y-0.5 pl-5">
          {flagged.map((c) => (
            <li key={c.collectionId}>
              <span className="font-medium">{c.name}</span>: {c.flags.map((f) => f.message).join(" ")}
            </li>
          ))}
        </ul>
      </AlertDescription>
    </Alert>
  );
}
