import { queryOptions } from "@tanstack/react-query";
import type { OperationLogLevel, OperationLogPage } from "@/lib/services/operation/logs";
import { fetchData, type Json } from "./fetch-json";

export type OperationLogPageJson = Json<OperationLogPage>;
export type OperationLogLineJson = OperationLogPageJson["lines"][number];
export type OperationLogView = { level: OperationLogLevel; q: string };

const LIVE_MS = 1000;

/** The query string of the log's filter (and a cursor): what the list, the tail and the export share. */
export function operationLogParams(view: OperationLogView, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  if (view.level !== "debug") params.set("level", view.level);
  if (view.q.trim()) params.set("q", view.q.trim());
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  return params.toString();
}

const pageUrl = (operationId: string, view: OperationLogView, extra: Record<string, string | number>) => `/api/v1/operations/${operationId}/logs?${operationLogParams(view, extra)}`;

/** The newest lines matching the filter: fetched once per filter (the tail keeps it current). */
export const operationLogHeadQuery = (operationId: string, view: OperationLogView) =>
  queryOptions({
    queryKey: ["operation-logs", operationId, view, "head"],
    queryFn: () => fetchData<OperationLogPageJson>(pageUrl(operationId, view, { limit: 200 })),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

/**
 * The lines after the last one shown, polled every second while the operation runs. Keyed on the
 * cursor: a page that brings lines moves the cursor, and the next look starts at once from there.
 */
export const operationLogTailQuery = (operationId: string, view: OperationLogView, afterId: number, live: boolean) =>
  queryOptions({
    queryKey: ["operation-logs", operationId, view, "tail", afterId, live],
    queryFn: () => fetchData<OperationLogPageJson>(pageUrl(operationId, view, { after: afterId, limit: 500 })),
    refetchInterval: live ? LIVE_MS : false,
    refetchOnWindowFocus: false,
    gcTime: 10_000,
  });

export const fetchOlderOperationLogs = (operationId: string, view: OperationLogView, beforeId: number) => fetchData<OperationLogPageJson>(pageUrl(operationId, view, { before: beforeId, limit: 200 }));

export const operationLogExportUrl = (operationId: string, view: OperationLogView) => `/api/v1/operations/${operationId}/logs/export?${operationLogParams(view)}`;
