import { queryOptions } from "@tanstack/react-query";
import type { OperationProgress } from "@/db/schema/operations";
import type { getOperation, listOperations } from "@/lib/services/operation/list";
import { isOperationActive } from "@/lib/operation-status";
import { fetchData, type Json } from "./fetch-json";

export type OperationListItem = Json<Awaited<ReturnType<typeof listOperations>>[number]>;
export type OperationDetail = Json<Awaited<ReturnType<typeof getOperation>>>;

export { isOperationActive };
export type { OperationProgress };
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
