import { queryOptions } from "@tanstack/react-query";
import type { BackupRow } from "@/lib/services/backup/manage";
import type { CollectionBackupState } from "@/lib/services/backup/schedule";
import { fetchData, type Json } from "@/lib/query/fetch-json";

export type BackupListItem = Json<BackupRow>;
export type CollectionBackupItem = Json<CollectionBackupState>;

/** The backups list, refetched every second while any of them is still being written. */
export const backupsQuery = (collectionId: string) =>
  queryOptions({
    queryKey: ["backups", collectionId],
    queryFn: () => fetchData<BackupListItem[]>(`/api/v1/backups?${new URLSearchParams(collectionId ? { collectionId, limit: "200" } : { limit: "200" })}`),
    refetchInterval: (query) => (query.state.data?.some((b) => b.status === "running") ? 1000 : false),
  });
