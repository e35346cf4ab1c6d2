import { queryOptions } from "@tanstack/react-query";
import type { Operation, OperationLog, OperationStep } from "@/db/schema/operations";
import { fetchData } from "./fetch-json";

type Jsonified<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export type OperationListItem = { operation: Jsonified<Operation>; requestedBy: string | null };
export type OperationDetail = OperationListItem & {
  metrics: { durationMs: number | null; cpuUserMs: number | null; peakRssBytes: number | null; documents: number; chunks: number; vectors: number; bytes: number } | null;
  steps: Jsonified<OperationStep>[];
  logs: Jsonified<OperationLog>[];
};

const ACTIVE = new Set(["queued", "running", "waiting"]);
export const isOperationActive = (status: string) => ACTIVE.has(status);
const LIVE_MS = 1000;

export const operationsQuery = (filter: Record<string, string>) =>
  queryOptions({
    queryKey: ["operations", filter],
    queryFn: () => fetchData<OperationListItem[]>(`/api/v1/operations?${new URLSearchParams(filter)}`),
    refetchInterval: (query) => (query.state.data?.some((row) => isOperationActive(row.operation.status)) ? LIVE_MS : false),
  });

export const operationQuery = (operationId: string) =>
  queryOptions({
    queryKey: ["operation", operationId],
    queryFn: () => fetchData<OperationDetail>(`/api/v1/operations/${operationId}`),
    refetchInterval: (query) => (query.state.data && isOperationActive(query.state.data.operation.status) ? LIVE_MS : false),
  });
