"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useDebounced } from "@/components/ui/use-debounced";
import { isOperationActive, operationQuery } from "@/lib/query/operations";
import {
  fetchOlderOperationLogs,
  operationLogExportUrl,
  operationLogHeadQuery,
  operationLogTailQuery,
  type OperationLogLineJson,
  type OperationLogPageJson,
  type OperationLogView,
} from "@/lib/query/operation-logs";
import type { OperationLogLevel } from "@/lib/services/operation/logs";
import { OperationLogLine } from "./operation-log-line";

/** Lines the browser keeps: past it the oldest go (and "Load older" brings them back). */
const MAX_LINES = 5000;
/** How close to the bottom (px) still counts as following the tail. */
const BOTTOM_SLACK = 24;
const LEVEL_LABELS: Record<OperationLogLevel, string> = { debug: "All levels", info: "Info and above", warn: "Warnings and errors", error: "Errors only" };

/**
 * The operation's log: level filter, text search, the live tail while it runs (scrolled up, it
 * pauses and counts what came in), older lines on demand, and the filtered log as NDJSON.
 */
export function OperationLogs({ operationId }: { operationId: string }) {
  const { data: detail } = useQuery(operationQuery(operationId));
  const live = detail ? isOperationActive(detail.operation.status) : false;
  const [level, setLevel] = useState<OperationLogLevel>("debug");
  const [text, setText] = useState("");
  const q = useDebounced(text, 300);
  const view: OperationLogView = { level, q };

  /** What the box shows: the head page it started from (so it belongs to this filter), the lines, whether older ones exist. */
  const [shown, setShown] = useState<{ head: OperationLogPageJson | null; lines: OperationLogLineJson[]; hasOlder: boolean }>({ head: null, lines: [], hasOlder: false });
  const [seenTail, setSeenTail] = useState<OperationLogPageJson | null>(null);
  const [olderError, setOlderError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [following, setFollowing] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  /** Set before prepending older lines: the scroll height to restore the view against. */
  const keepFrom = useRef<number | null>(null);

  const head = useQuery(operationLogHeadQuery(operationId, view));
  const current = head.data !== undefined && shown.head === head.data;
  const lines = shown.lines;
  const lastId = lines.at(-1)?.id ?? 0;
  // Keyed on the cursor and on `live`: each new last line, and the operation's end (its finish line), is a fresh look.
  const tail = useQuery({ ...operationLogTailQuery(operationId, view, lastId, live), enabled: current });

  // A new filter starts from its own newest lines (state adjusted while rendering, as React advises).
  if (head.data && shown.head !== head.data) {
    setShown({ head: head.data, lines: head.data.lines, hasOlder: head.data.more });
    setUnseen(0);
    setFollowing(true);
  }
  if (current && tail.data && tail.data !== seenTail) {
    setSeenTail(tail.data);
    const fresh = tail.data.lines.filter((l) => l.id > lastId);
    if (fresh.length) {
      const next = [...lines, ...fresh];
      const trimmed = next.length > MAX_LINES;
      setShown({ head: shown.head, lines: trimmed ? next.slice(next.length - MAX_LINES) : next, hasOlder: shown.hasOlder || trimmed });
      if (!following) setUnseen(unseen + fresh.length);
    }
  }

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (keepFrom.current !== null) {
      el.scrollTop += el.scrollHeight - keepFrom.current;
      keepFrom.current = null;
    } else if (following) el.scrollTop = el.scrollHeight;
  }, [lines, following]);

  const onScroll = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
    setFollowing(atBottom);
    if (atBottom) setUnseen(0);
  }, []);

  async function loadOlder() {
    const first = lines[0];
    if (!first) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await fetchOlderOperationLogs(operationId, view, first.id);
      keepFrom.current = box.current?.scrollHeight ?? null;
      setShown((prev) => ({ ...prev, lines: [...page.lines, ...prev.lines], hasOlder: page.more }));
    } catch (err) {
      setOlderError(err instanceof Error ? err.message : "Could not load older lines.");
    } finally {
      setLoadingOlder(false);
    }
  }

  function resume() {
    setUnseen(0);
    setFollowing(true);
  }

  const filtered = level !== "debug" || q.trim() !== "";
  return (
    <section aria-labelledby="operation-log-heading" className="mt-6">
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h2 id="operation-log-heading" className="mr-auto text-lg font-semibold">
          Log
          {live && (
            <span className="ml-2 align-middle text-xs font-normal text-muted-foreground" data-testid="log-live">
              {following ? "● live" : "paused"}
            </span>
          )}
        </h2>
        <label className="sr-only" htmlFor="log-level">
          Level
        </label>
        <Select id="log-level" className="w-auto" value={level} onChange={(e) => setLevel(e.target.value as OperationLogLevel)}>
          {(Object.keys(LEVEL_LABELS) as OperationLogLevel[]).map((l) => (
            <option key={l} value={l}>
              {LEVEL_LABELS[l]}
            </option>
          ))}
        </Select>
        <label className="sr-only" htmlFor="log-search">
          Search the log
        </label>
        <Input id="log-search" type="search" className="w-56" placeholder="Search the log…" value={text} onChange={(e) => setText(e.target.value)} />
        <a className="inline-flex h-9 items-center rounded-md border border-input bg-background px-3 text-sm font-medium hover:bg-accent hover:text-accent-foreground" href={operationLogExportUrl(operationId, view)} download>
          Download
        </a>
      </div>
      <div className="relative">
        <div ref={box} onScroll={onScroll} aria-label="Operation log" role="log" aria-live="off" className="max-h-[28rem] overflow-y-auto overflow-x-hidden rounded border bg-muted font-mono text-xs">
          {shown.hasOlder && (
            <div className="flex items-center gap-2 border-b border-border/50 p-1">
              <Button variant="ghost" size="sm" onClick={() => void loadOlder()} disabled={loadingOlder}>
                {loadingOlder ? "Loading…" : "Load older lines"}
              </Button>
              {olderError && <span className="text-destructive">{olderError}</span>}
            </div>
          )}
          {head.isError ? (
            <p className="p-3 text-destructive">The log could not be read: {head.error.message}</p>
          ) : !current ? (
            <p className="p-3 text-muted-foreground">Loading the log…</p>
          ) : lines.length === 0 ? (
            <p className="p-3 text-muted-foreground">{filtered ? "No line matches this filter." : live ? "No lines yet: they appear here as the operation logs them." : "This operation logged nothing."}</p>
          ) : (
            <ol>
              {lines.map((line) => (
                <OperationLogLine key={line.id} line={line} />
              ))}
            </ol>
          )}
        </div>
        {!following && unseen > 0 && (
          <Button size="sm" className="absolute bottom-2 left-1/2 -translate-x-1/2 shadow" onClick={resume} data-testid="log-resume">
            Paused — {unseen.toLocaleString("en-US")} new line{unseen === 1 ? "" : "s"} · resume
          </Button>
        )}
      </div>
    </section>
  );
}
