import { queryOptions } from "@tanstack/react-query";
import type { Readiness } from "@/lib/services/health/check-ready";
import { fetchData } from "./fetch-json";
import type { OperationListPage } from "./operations";

const RUNNING_MS = 2000;
const HEALTH_MS = 10_000;

/** The operations under way, for the overview's live panel: polled always, so new ones appear. */
export const runningOperationsQuery = () =>
  queryOptions({
    queryKey: ["operations", { status: "running", limit: "10" }, "dashboard"],
    queryFn: async () => (await fetchData<OperationListPage>("/api/v1/operations?status=running&limit=10")).rows,
    refetchInterval: RUNNING_MS,
  });

/** The current readiness (with detail for a signed-in user), refreshed while the page is open. */
export const readinessQuery = () =>
  queryOptions({
    queryKey: ["health", "ready"],
    queryFn: async (): Promise<Readiness> => {
      const response = await fetch("/api/health/ready", { headers: { accept: "application/json" } });
      // 503 still carries the readiness: unhealthy is an answer, not a failed request.
      if (response.status !== 200 && response.status !== 503) throw new Error(`Request failed (${response.status})`);
      return (await response.json()) as Readiness;
    },
    refetchInterval: HEALTH_MS,
  });
