import Link from "next/link";
import { TD } from "@/components/ui/table";
import { formatDuration } from "@/lib/format";
import { isOperationActive } from "@/lib/operation-status";
import type { OperationProgress as Progress } from "@/lib/query/operations";
import { OperationStatus } from "./status";

type ProgressOf = { type: string; status: string; progress: Progress | null; statusMessage?: string | null; error?: string | null; result?: Record<string, unknown> | null };

/**
 * "120 / 400 documents · 310 / 402 chunks · 35.2 documents/s · ETA 7.0 s" while it works; the bare
 * counts once it is over, or while it waits (for its turn, or for an approval: no rate to speak of).
 */
export function progressText(op: ProgressOf): string {
  const p = op.progress;
  if (!p) return isOperationActive(op.status) ? "starting…" : "—";
  const parts = [`${p.done} / ${p.total} ${p.unit}`];
  if (p.chunks) parts.push(`${p.chunks.done} / ${p.chunks.total} chunks`);
  const working = op.status === "running" && p.done < p.total;
  if (p.ratePerS !== undefined && working) parts.push(`${p.ratePerS.toFixed(1)} ${p.unit}/s`);
  if (p.etaS !== undefined && working) parts.push(`ETA ${formatDuration(p.etaS * 1000)}`);
  return parts.join(" · ");
}

export function ProgressBar({ op, className = "h-1.5" }: { op: ProgressOf; className?: string }) {
  const p = op.progress;
  const percent = p && p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : 0;
  return (
    <div className={`overflow-hidden rounded bg-muted ${className}`} role="progressbar" aria-label={`${op.type} progress`} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
      <div className="h-full bg-primary transition-all" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** A table cell's worth: the bar while it runs, the counts, and what it waits for or why it failed. */
export function OperationProgressCell({ op }: { op: ProgressOf }) {
  const active = isOperationActive(op.status);
  return (
    <>
      {active && op.progress && op.progress.total > 0 && <ProgressBar op={op} className="mb-1 h-1.5" />}
      <span>{progressText(op)}</span>
      {op.statusMessage && active && <span className="block text-xs text-muted-foreground">{op.statusMessage}</span>}
      {op.error && <span className="block text-xs text-destructive">{op.error}</span>}
    </>
  );
}

/** The first cells of an operation's row in any operations table: its type (linking to it), status and progress. */
export function OperationLeadCells({ op }: { op: ProgressOf & { id: string } }) {
  return (
    <>
      <TD>
        <Link href={`/operations/${op.id}`} className="font-mono underline-offset-2 hover:underline">
          {op.type}
        </Link>
      </TD>
      <TD>
        <OperationStatus status={op.status} result={op.result} />
      </TD>
      <TD className="min-w-48 text-sm">
        <OperationProgressCell op={op} />
      </TD>
    </>
  );
}
