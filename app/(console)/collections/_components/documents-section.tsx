"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { RESTING_DOCUMENT_STAGES } from "@/lib/document-stages";
import { DOCUMENTS_PAGE_SIZE, documentsQuery, type CollectionDetail, type DocumentPage, type DocumentRow } from "@/lib/query/collections";
import { DocumentHistorySheet } from "./document-history-sheet";
import { DocumentsTable } from "./documents-table";
import { useLiveCollection } from "./live-collection";
import { PageNav } from "./page-nav";

type Props = {
  initialDetail: CollectionDetail;
  filter: Record<string, string>;
  initial: DocumentPage;
  filterError?: string;
};

/** The filter lives in the URL (a GET form), so a filtered view can be bookmarked; the rows refresh live. */
export function DocumentsSection({ initialDetail, filter, initial, filterError }: Props) {
  const { data: detail, live } = useLiveCollection(initialDetail);
  const collectionId = detail.collection.id;
  const sources = detail.sources;
  const base = `/collections/${collectionId}/documents`;
  const { data = initial } = useQuery({ ...documentsQuery(collectionId, { ...filter, limit: String(DOCUMENTS_PAGE_SIZE) }, live && !filterError), initialData: initial });
  const [history, setHistory] = useState<DocumentRow | null>(null);
  const sourceNames = new Map(sources.map(({ source }) => [source.id, source.name]));
  const withoutCursor = Object.fromEntries(Object.entries(filter).filter(([key]) => key !== "after" && key !== "before"));

  return (
    <section aria-labelledby="documents-heading" className="mb-8">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="documents-heading" className="text-lg font-semibold">
          Documents
        </h2>
        <a className={buttonVariants({ variant: "outline", size: "sm" })} href={`/api/v1/collections/${collectionId}/documents/export?${new URLSearchParams(withoutCursor)}`} download>
          Export CSV
        </a>
      </div>
      <form method="get" action={base} aria-label="Filter documents" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <Label htmlFor="d-stage">Filter by stage</Label>
          <Select id="d-stage" name="stage" defaultValue={filter.stage ?? ""}>
            <option value="">any</option>
            {RESTING_DOCUMENT_STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {stage}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          <Label htmlFor="d-source">Filter by source</Label>
          <Select id="d-source" name="sourceId" defaultValue={filter.sourceId ?? ""}>
            <option value="">any</option>
            {sources.map(({ source }) => (
              <option key={source.id} value={source.id}>
                {source.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          <Label htmlFor="d-path" className="block">
            Path contains
          </Label>
          <Input id="d-path" name="path" defaultValue={filter.path} className="w-64" />
        </div>
        <Button type="submit">Apply filters</Button>
        <Link href={base} className={buttonVariants({ variant: "ghost" })}>
          Clear
        </Link>
      </form>
      {filterError && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{filterError}</AlertDescription>
        </Alert>
      )}
      <DocumentsTable documents={data.documents} sourceNames={sourceNames} onHistory={setHistory} emptyText={Object.keys(withoutCursor).length ? "No documents match this filter." : "No documents yet: they appear as the first operation scans its source."} />
      <PageNav label="Document pages" base={base} filter={withoutCursor} page={data} noun={["document", "documents"]} />
      <DocumentHistorySheet collectionId={collectionId} document={history} onClose={() => setHistory(null)} />
    </section>
  );
}
