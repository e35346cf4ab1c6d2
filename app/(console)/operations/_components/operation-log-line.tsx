"use client";

import { useState } from "react";
import { cn } from "@/components/ui/cn";
import type { OperationLogLineJson } from "@/lib/query/operation-logs";

const LEVEL_CLASSES: Record<OperationLogLineJson["level"], string> = {
  debug: "text-muted-foreground",
  info: "text-sky-700 dark:text-sky-300",
  warn: "bg-warning/20 text-warning-foreground dark:text-warning",
  error: "bg-destructive/15 text-destructive",
};

/** "10:42:07.123": the day is in the line's title (the log of one operation rarely spans days). */
const timeOf = (at: string) => at.slice(11, 23);

/** One log line: time, level, message; its fields (correlation id, error class, counts) open on demand. */
export function OperationLogLine({ line }: { line: OperationLogLineJson }) {
  const [open, setOpen] = useState(false);
  const fields = line.fields && Object.keys(line.fields).length > 0 ? line.fields : null;
  return (
    <li className="border-b border-border/50 px-2 py-0.5 last:border-b-0" data-testid="log-line" data-level={line.level} data-id={line.id}>
      <div className="flex items-start gap-2">
        <time className="shrink-0 text-muted-foreground tabular-nums" dateTime={line.at} title={`${line.at.replace("T", " ").slice(0, 23)} UTC`}>
          {timeOf(line.at)}
        </time>
        <span className={cn("w-12 shrink-0 rounded px-1 text-center font-semibold uppercase", LEVEL_CLASSES[line.level])}>{line.level}</span>
        {/* Long lines wrap (a JSON blob or a path breaks anywhere): the log never scrolls sideways. */}
        <span className="min-w-0 flex-1 whitespace-pre-wrap wrap-anywhere" data-testid="log-message">{line.message}</span>
        {fields && (
          <button type="button" className="shrink-0 rounded px-1 text-muted-foreground underline-offset-2 hover:bg-accent hover:text-accent-foreground hover:underline" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? "hide fields" : `fields (${Object.keys(fields).length})`}
          </button>
        )}
      </div>
      {fields && open && <pre className="mb-1 ml-[8.5rem] mt-1 overflow-x-auto whitespace-pre-wrap wrap-anywhere rounded bg-background/60 p-2 text-[11px]">{JSON.stringify(fields, null, 2)}</pre>}
    </li>
  );
}
