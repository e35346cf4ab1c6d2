import { queryOptions } from "@tanstack/react-query";
import type { OperationProgress } from "@/db/schema/operations";
import type { getOperation, OperationPage } from "@/lib/services/operation/list";
import { isOperationActive } from "@/lib/operation-status";
import { fetchData, type Json } from "./fetch-json";

export type OperationListPage = Json<OperationPage>;
export type OperationListItem = OperationListPage["rows"][number];
export type OperationDetail = Json<Awaited<ReturnType<typeof getOperation>>>;

export { isOperationActive };
export type { OperationProgress };
const LIVE_MS = 1000;

/** One page of the job history (filter and cursor as URL params); refreshes while any row on it is under way. */
export const operationsQuery = (params: Record<string, string>) =>
  queryOptions({
    queryKey: ["operations", params],
    queryFn: () => fetchData<OperationListPage>(`/api/v1/operations?${new URLSearchParams(params)}`),
    refetchInterval: (query) => (query.state.data?.rows.some((row) => isOperationActive(row.operation.status)) ? LIVE_MS : false),
  });

export const operationQuery = (operationId: string) =>
  queryOptions({
    queryKey: ["operation", operationId],
    queryFn: () => fetchData<OperationDetail>(`/api/v1/operations/${operationId}`),
    refetchInterval: (query) => (query.state.data && isOperationActive(query.state.data.operation.status) ? LIVE_MS : false),
  });

export type OperationFiguresData = Json<import("@/lib/services/operation/figures").OperationFigures>;

/** An operation's figures and its comparison with earlier runs; refreshes (slower than the detail) while it runs. */
export const operationFiguresQuery = (operationId: string) =>
  queryOptions({
    queryKey: ["operation-figures", operationId],
    queryFn: () => fetchData<OperationFiguresData>(`/api/v1/operations/${operationId}/figures`),
    refetchInterval: (query) => (query.state.data && isOperationActive(query.state.data.operation.status) ? 3 * LIVE_MS : false),
  });
