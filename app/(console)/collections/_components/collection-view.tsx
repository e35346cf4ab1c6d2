"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { collectionQuery, isCollectionDetailBusy, type CollectionDetail, type DocumentPage } from "@/lib/query/collections";
import { CollectionStatus } from "./badges";
import { CollectionOperations } from "./collection-operations";
import { CollectionOverview } from "./collection-overview";
import { DeleteCollectionButton } from "./delete-collection-sheet";
import { DocumentsSection } from "./documents-section";
import { SearchPlayground } from "./search-playground";
import { SourcesSection } from "./sources-section";
import { formatCount, formatUtc } from "@/lib/format";

type Props = {
  initial: CollectionDetail;
  documentFilter: Record<string, string>;
  initialDocuments: DocumentPage;
  filterError?: string;
  canOperate: boolean;
  canDelete: boolean;
};

/** One query for the collection drives every section, so they all go live (and quiet) together. */
export function CollectionView({ initial, documentFilter, initialDocuments, filterError, canOperate, canDelete }: Props) {
  const { data = initial, error } = useQuery({ ...collectionQuery(initial.collection.id), initialData: initial });
  const { collection, stats } = data;
  const live = isCollectionDetailBusy(data);
  return (
    <>
      <PageHeader
        title={collection.name}
        description={collection.description || `Created ${formatUtc(collection.createdAt)} UTC`}
        actions={
          <>
            <span className="flex items-center gap-2 text-sm">
              Status <CollectionStatus status={collection.status} data-testid="collection-status" />
            </span>
            <Link href={`/collections/${collection.id}/dead-letters`} className={buttonVariants({ variant: "outline", size: "sm" })}>
              Dead letters ({formatCount(stats.dead)})
            </Link>
            {canDelete && <DeleteCollectionButton collection={collection} documents={stats.documents} busy={live} />}
          </>
        }
      />
      {error && <p className="mb-2 text-sm text-destructive">Live refresh paused: {error.message}</p>}
      <CollectionOverview detail={data} />
      <SourcesSection detail={data} canOperate={canOperate} />
      <CollectionOperations operations={data.operations} />
      <SearchPlayground collectionId={collection.id} hasData={collection.activeVersion !== null} />
      <DocumentsSection collectionId={collection.id} sources={data.sources} filter={documentFilter} initial={initialDocuments} filterError={filterError} live={live} />
    </>
  );
}
