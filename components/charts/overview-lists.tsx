import Link from "next/link";
import { formatAge } from "./dashboard-data";

type DeadLetterRow = { collectionId: string; name: string; deadLetters: number };
type BackupAgeRow = { collectionId: string; name: string; lastBackupAt: string | null; ageS: number | null };

const DAY_S = 86_400;

/** Dead letters per collection as bars against the largest, each opening the collection's Dead letters tab. */
export function DeadLetters({ rows }: { rows: DeadLetterRow[] }) {
  if (rows.length === 0) return <p className="py-6 text-center text-sm text-muted-foreground">No dead letters: every document of every collection went through.</p>;
  const max = Math.max(...rows.map((r) => r.deadLetters));
  return (
    <ul className="space-y-2" data-testid="dead-letters">
      {rows.map((r) => (
        <li key={r.collectionId} className="grid grid-cols-[10rem_1fr_4rem] items-center gap-3 text-sm">
          <Link href={`/collections/${r.collectionId}/dead-letters`} className="truncate underline-offset-2 hover:underline" title={r.name}>
            {r.name}
          </Link>
          <div className="h-2 overflow-hidden rounded bg-muted">
            <div className="h-full bg-destructive" style={{ width: `${Math.max(2, (r.deadLetters / max) * 100)}%` }} />
          </div>
          <span className="text-right tabular-nums">{r.deadLetters}</span>
        </li>
      ))}
    </ul>
  );
}

/** Each collection's latest backup age, warning past a day and alarming past a week or when there is none. */
export function BackupAges({ rows }: { rows: BackupAgeRow[] }) {
  if (rows.length === 0) return <p className="py-6 text-center text-sm text-muted-foreground">No collections yet.</p>;
  return (
    <ul className="space-y-1.5" data-testid="backup-ages">
      {rows.map((r) => {
        const tone = r.ageS === null || r.ageS > 7 * DAY_S ? "text-destructive" : r.ageS > DAY_S ? "text-warning-foreground dark:text-warning" : "text-success";
        return (
          <li key={r.collectionId} className="flex items-center justify-between gap-3 text-sm">
            <Link href={`/collections/${r.collectionId}`} className="truncate underline-offset-2 hover:underline">
              {r.name}
            </Link>
            <span className={`font-medium tabular-nums ${tone}`} title={r.lastBackupAt ?? undefined}>
              {r.ageS === null ? "never backed up" : `${formatAge(r.ageS)} ago`}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
