import { queryOptions } from "@tanstack/react-query";
import type { getExecutorRun, listExecutorRuns } from "@/lib/services/run/list";
import { fetchData, type Json } from "./fetch-json";

export type RunPage = Json<Awaited<ReturnType<typeof listExecutorRuns>>>;
export type RunRow = RunPage["runs"][number];
export type RunView = Json<Awaited<ReturnType<typeof getExecutorRun>>>;

const ACTIVE = new Set(["queued", "running", "sleeping", "waiting"]);
export const isRunActive = (status: string) => ACTIVE.has(status);
const LIVE_MS = 1000;

export const runsQuery = (filter: Record<string, string>) =>
  queryOptions({
    queryKey: ["runs", filter],
    queryFn: () => fetchData<RunPage>(`/api/v1/runs?${new URLSearchParams(filter)}`),
    refetchInterval: (query) => (query.state.data?.runs.some((r) => isRunActive(r.status)) ? LIVE_MS : false),
  });

export const runQuery = (runId: string) =>
  queryOptions({
    queryKey: ["run", runId],
    queryFn: () => fetchData<RunView>(`/api/v1/runs/${runId}`),
    refetchInterval: (query) => (query.state.data && isRunActive(query.state.data.status) ? LIVE_MS : false),
  });
