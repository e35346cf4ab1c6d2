import { queryOptions } from "@tanstack/react-query";
import type { listGoldenQueries, tryGoldenQuery } from "@/lib/services/reindex/golden";
import type { describePolicy } from "@/lib/services/reindex/policy";
import type { listVersions } from "@/lib/services/reindex/versions";
import { fetchData, type Json } from "./fetch-json";

export type VersionsData = Json<Awaited<ReturnType<typeof listVersions>>>;
export type VersionRow = VersionsData["versions"][number];
export type GoldenQueryRow = Json<Awaited<ReturnType<typeof listGoldenQueries>>[number]>;
export type GoldenTryResult = Json<Awaited<ReturnType<typeof tryGoldenQuery>>>;
export type ReindexPolicyView = Json<ReturnType<typeof describePolicy>>;

const LIVE_MS = 2000;

/**
 * Live while an operation runs on the collection (`live` comes from its own query). Not kept once
 * the tab closes (gcTime 0), so coming back shows the server's fresh render, not an old cache.
 */
export const versionsQuery = (collectionId: string, live: boolean) =>
  queryOptions({
    queryKey: ["collection", collectionId, "versions"],
    queryFn: () => fetchData<VersionsData>(`/api/v1/collections/${collectionId}/versions`),
    refetchInterval: live ? LIVE_MS : false,
    gcTime: 0,
  });

export const tryGoldenQueryUrl = (collectionId: string, queryId: string) => `/api/v1/collections/${collectionId}/golden-queries/${queryId}/try`;
