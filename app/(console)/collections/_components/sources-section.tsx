"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { CollectionDetail } from "@/lib/query/collections";
import { appendSourceAction } from "../actions";
import { AddSourceForm } from "./add-source-form";
import { alertMessages } from "./form-fields";
import { UploadForm } from "./upload-form";

import { RemoveSourceSheet } from "./remove-source-sheet";
import { formatCount } from "@/lib/format";
import { FormErrors } from "@/components/forms/form-errors";

type SourceRow = CollectionDetail["sources"][number];

export function SourcesSection({ detail, canOperate }: { detail: CollectionDetail; canOperate: boolean }) {
  const [removing, setRemoving] = useState<SourceRow["source"] | null>(null);
  const collectionId = detail.collection.id;
  return (
    <section aria-labelledby="sources-heading" id="sources" className="mb-8">
      <h2 id="sources-heading" className="mb-2 text-lg font-semibold">
        Sources
      </h2>
      {detail.sources.length === 0 ? (
        <p className="py-4 text-sm text-muted-foreground">No sources. Add a folder below to index it into this collection.</p>
      ) : (
        <Table aria-label="Sources">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Kind</TH>
              <TH>Path</TH>
              <TH className="text-right">Documents</TH>
              {canOperate && <TH>Actions</TH>}
            </TR>
          </THead>
          <TBody>
            {detail.sources.map(({ source, documents }) => (
              <TR key={source.id}>
                <TD className="font-medium">{source.name}</TD>
                <TD>{source.kind}</TD>
                <TD className="break-all font-mono text-xs">{source.path}</TD>
                <TD className="text-right tabular-nums">{formatCount(documents)}</TD>
                {canOperate && (
                  <TD>
                    <div className="flex flex-wrap items-start gap-2">
                      <AppendButton collectionId={collectionId} sourceId={source.id} />
                      <Button type="button" variant="outline" size="sm" onClick={() => setRemoving(source)}>
                        Remove source…
                      </Button>
                    </div>
                  </TD>
                )}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {canOperate && <AddSourceForm collectionId={collectionId} />}
      {canOperate && <UploadForm collectionId={collectionId} />}
      <RemoveSourceSheet collectionId={collectionId} source={removing} onClose={() => setRemoving(null)} />
    </section>
  );
}

/** Re-scans one source; unchanged files are skipped by content hash, so it is safe to repeat. */
function AppendButton({ collectionId, sourceId }: { collectionId: string; sourceId: string }) {
  const [state, action, pending] = useActionState(appendSourceAction, null);
  const refused = state && !state.ok ? alertMessages(state.formError, state.fieldErrors, []) : [];
  const messages = refused.length ? refused : ["Could not start the append."];
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="collectionId" value={collectionId} />
      <input type="hidden" name="sourceId" value={sourceId} />
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        {pending ? "Starting…" : "Append new and changed files"}
      </Button>
      {state && !state.ok && <FormErrors messages={messages} className="py-2" />}
    </form>
  );
}

