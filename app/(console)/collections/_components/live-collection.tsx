"use client";

import { useQuery } from "@tanstack/react-query";
import { collectionQuery, isCollectionDetailBusy, type CollectionDetail } from "@/lib/query/collections";
import { CollectionOperations } from "./collection-operations";
import { CollectionOverview } from "./collection-overview";
import { DeleteCollectionButton } from "./delete-collection-sheet";
import { SourcesSection } from "./sources-section";

/** One query per collection, shared by the header and the open tab, so they go live (and quiet) together. */
export function useLiveCollection(initial: CollectionDetail) {
  const { data = initial, error } = useQuery({ ...collectionQuery(initial.collection.id), initialData: initial });
  return { data, error, live: isCollectionDetailBusy(data) };
}

export function LiveOverview({ initial, canOperate }: { initial: CollectionDetail; canOperate: boolean }) {
  return <CollectionOverview detail={useLiveCollection(initial).data} canReindex={canOperate} />;
}

export function LiveSources({ initial, canOperate }: { initial: CollectionDetail; canOperate: boolean }) {
  return <SourcesSection detail={useLiveCollection(initial).data} canOperate={canOperate} />;
}

export function LiveOperations({ initial }: { initial: CollectionDetail }) {
  return <CollectionOperations operations={useLiveCollection(initial).data.operations} />;
}

export function LiveDeleteButton({ initial }: { initial: CollectionDetail }) {
  const { data, live } = useLiveCollection(initial);
  return <DeleteCollectionButton collection={data.collection} documents={data.stats.documents} busy={live} />;
}
