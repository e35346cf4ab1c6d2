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

type Props = {
  collectionId: string;
  sources: CollectionDetail["sources"];
  filter: Record<string, string>;
  initial: DocumentPage;
  filterError?: string;
  live: boolean;
};

/** The filter lives in the URL (a GET form), so a filtered view can be bookmarked; the rows refresh live. */
export function DocumentsSection({ collectionId, sources, filter, initial, filterError, live }: Props) {
  const base = `/collections/${collectionId}`;
  const { data = initial } = useQuery({ ...documentsQuery(collectionId, { ...filter, limit: String(DOCUMENTS_PAGE_SIZE) }, live && !filterError), initialData: initial });
  const [history, setHistory] = useState<DocumentRow | null>(null);
  const sourceNames = new Map(sources.map(({ source }) => [source.id, source.name]));
  const { after, ...withoutCursor } = filter;
  const nextHref = data.nextAfter ? `${base}?${new URLSearchParams({ ...withoutCursor, after: data.nextAfter })}#documents` : null;

  return (
    <section aria-labelledby="documents-heading" id="documents" className="mb-8">
      <h2 id="documents-heading" className="mb-2 text-lg font-semibold">
        Documents
      </h2>
      <form method="get" action={`${base}#documents`} aria-label="Filter documents" className="mb-4 flex flex-wrap items-end gap-3">
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
        <Link href={`${base}#documents`} className={buttonVariants({ variant: "ghost" })}>
          Clear
        </Link>
      </form>
      {filterError && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{filterError}</AlertDescription>
        </Alert>
      )}
      <DocumentsTable documents={data.documents} sourceNames={sourceNames} onHistory={setHistory} emptyText={Object.keys(withoutCursor).length ? "No documents match this filter." : "No documents yet: they appear as the first operation scans its source."} />
      <nav aria-label="Document pages" className="mt-4 flex gap-2">
        {after !== undefined && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={`${base}?${new URLSearchParams(withoutCursor)}#documents`}>
            First page
          </Link>
        )}
        {nextHref && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={nextHref}>
            Next page
          </Link>
        )}
      </nav>
      <DocumentHistorySheet collectionId={collectionId} document={history} onClose={() => setHistory(null)} />
    </section>
  );
}
