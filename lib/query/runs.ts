import { queryOptions } from "@tanstack/react-query";
import type { RunDetail, RunSummary } from "@/inngest/local-executor/queries";
import { fetchData } from "./fetch-json";

type Jsonified<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
export type RunRow = Jsonified<RunSummary>;
export type RunView = Omit<Jsonified<RunDetail>, "steps"> & { steps: Jsonified<RunDetail["steps"][number]>[] };
export type RunPage = { runs: RunRow[]; nextCursor: string | null };

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
