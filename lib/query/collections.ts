import { queryOptions } from "@tanstack/react-query";
import type { DocumentStage } from "@/db/schema/documents";
import type { getCollection, listCollections, listDocuments } from "@/lib/services/collection/read";
import type { getDocumentHistory } from "@/lib/services/collection/ui-reads";
import { fetchData, type Json } from "./fetch-json";
import { isOperationActive } from "./operations";

export type { DocumentStage };
export type CollectionListItem = Json<Awaited<ReturnType<typeof listCollections>>[number]>;
export type CollectionDetail = Json<Awaited<ReturnType<typeof getCollection>>>;
export type DocumentPage = Json<Awaited<ReturnType<typeof listDocuments>>>;
export type DocumentRow = DocumentPage["documents"][number];
export type DocumentHistory = Json<Awaited<ReturnType<typeof getDocumentHistory>>>;
export type SearchHit = { id: string; score: number; documentId: string; path: string; ordinal: number; text: string };
export type SearchResult = { tookMs: number; hits: SearchHit[] };

const BUSY = new Set(["creating", "busy", "deleting"]);
export const isCollectionBusy = (row: Pick<CollectionListItem, "collection" | "lastOperation">) =>
  BUSY.has(row.collection.status) || (row.lastOperation !== null && isOperationActive(row.lastOperation.status));
export const isCollectionDetailBusy = (detail: CollectionDetail) => isCollectionBusy(detail) || detail.operations.some((op) => isOperationActive(op.status));

const LIVE_MS = 2000;
export const DOCUMENTS_PAGE_SIZE = 50;
/** What a page shows when its filter was refused. */
export const EMPTY_DOCUMENT_PAGE: DocumentPage = { documents: [], nextAfter: null, prevBefore: null, total: { count: 0, exact: true } };

export const collectionsQuery = () =>
  queryOptions({
    queryKey: ["collections"],
    queryFn: () => fetchData<CollectionListItem[]>("/api/v1/collections"),
    refetchInterval: (query) => (query.state.data?.some(isCollectionBusy) ? LIVE_MS : false),
  });

export const collectionQuery = (collectionId: string) =>
  queryOptions({
    queryKey: ["collection", collectionId],
    queryFn: () => fetchData<CollectionDetail>(`/api/v1/collections/${collectionId}`),
    refetchInterval: (query) => (query.state.data && isCollectionDetailBusy(query.state.data) ? LIVE_MS : false),
  });

/** `live` comes from the collection's own query: documents move while an operation runs. */
export const documentsQuery = (collectionId: string, filter: Record<string, string>, live: boolean) =>
  queryOptions({
    queryKey: ["collection", collectionId, "documents", filter],
    queryFn: () => fetchData<DocumentPage>(`/api/v1/collections/${collectionId}/documents?${new URLSearchParams(filter)}`),
    refetchInterval: live ? LIVE_MS : false,
  });

export const documentHistoryQuery = (collectionId: string, documentId: string) =>
  queryOptions({
    queryKey: ["collection", collectionId, "document", documentId],
    queryFn: () => fetchData<DocumentHistory>(`/api/v1/collections/${collectionId}/documents/${documentId}`),
    refetchInterval: (query) => {
      const stage = query.state.data?.document.stage;
      return stage && stage !== "complete" && stage !== "dead" ? LIVE_MS : false;
    },
  });
