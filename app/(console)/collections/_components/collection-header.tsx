"use client";

import { PageHeader } from "@/components/ui/page-header";
import { formatUtc } from "@/lib/format";
import type { CollectionDetail } from "@/lib/query/collections";
import { CollectionStatus } from "./badges";
import { CollectionTabs } from "./collection-tabs";
import { useLiveCollection } from "./live-collection";

/** Name, status and tabs: shared by every tab and live while an operation runs. */
export function CollectionHeader({ initial }: { initial: CollectionDetail }) {
  const { data, error } = useLiveCollection(initial);
  const { collection, stats } = data;
  return (
    <>
      <PageHeader
        className="mb-4"
        title={collection.name}
        description={collection.description || `Created ${formatUtc(collection.createdAt)} UTC`}
        actions={
          <span className="flex items-center gap-2 text-sm">
            Status <CollectionStatus status={collection.status} data-testid="collection-status" />
          </span>
        }
      />
      {error && <p className="mb-2 text-sm text-destructive">Live refresh paused: {error.message}</p>}
      <CollectionTabs collectionId={collection.id} counts={{ sources: data.sources.length, documents: stats.documents, "dead-letters": stats.dead, operations: data.operations.length }} />
    </>
  );
}
