"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { runningOperationsQuery } from "@/lib/query/dashboard";
import type { OperationListItem } from "@/lib/query/operations";
import { formatAge } from "./dashboard-data";

function percentOf(p: NonNullable<OperationListItem["operation"]["progress"]>): number {
  return p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : 0;
}

/** The operations running now, each with its progress, rate and ETA, refreshed every two seconds. */
export function RunningOperations({ initial }: { initial: OperationListItem[] }) {
  const { data = initial, error } = useQuery({ ...runningOperationsQuery(), initialData: initial });
  return (
    <div data-testid="running-operations">
      {error && <p className="mb-2 text-sm text-destructive">Live refresh paused: {error.message}</p>}
      {data.length === 0 ? (
        <p className="py-6 text-center text-sm text-muted-foreground">Nothing is running. Operations you start appear here with their progress.</p>
      ) : (
        <ul className="space-y-3">
          {data.map(({ operation: op }) => {
            const p = op.progress;
            return (
              <li key={op.id} className="text-sm">
                <div className="flex items-baseline justify-between gap-2">
                  <Link href={`/operations/${op.id}`} className="font-mono underline-offset-2 hover:underline">
                    {op.type}
                  </Link>
                  <span className="text-xs text-muted-foreground">
                    {p ? `${p.done} / ${p.total} ${p.unit}` : "starting…"}
                    {p?.ratePerS !== undefined ? ` · ${p.ratePerS.toFixed(1)} ${p.unit}/s` : ""}
                    {p?.etaS !== undefined ? ` · ETA ${formatAge(p.etaS)}` : ""}
                  </span>
                </div>
                <div className="mt-1 h-1.5 overflow-hidden rounded bg-muted" role="progressbar" aria-label={`${op.type} progress`} aria-valuenow={p ? percentOf(p) : 0} aria-valuemin={0} aria-valuemax={100}>
                  <div className="h-full bg-primary transition-all" style={{ width: `${p ? percentOf(p) : 0}%` }} />
                </div>
                {op.statusMessage && <p className="mt-0.5 text-xs text-muted-foreground">{op.statusMessage}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
