"use client";

import { useQuery } from "@tanstack/react-query";
import { Sheet } from "@/components/ui/sheet";
import { documentHistoryQuery, type DocumentRow } from "@/lib/query/collections";
import { StageBadge } from "./badges";
import { formatUtc } from "@/lib/format";

/** Every stage change of one document with its time (UTC): where it spent its time, and why it failed. */
export function DocumentHistorySheet({ collectionId, document, onClose }: { collectionId: string; document: DocumentRow | null; onClose: () => void }) {
  return (
    <Sheet open={document !== null} onOpenChange={(open) => !open && onClose()} title="Document history" description={document ? <span className="break-all font-mono">{document.path}</span> : undefined}>
      {document && <HistoryEvents collectionId={collectionId} documentId={document.id} />}
    </Sheet>
  );
}

/** Also the body of a document's own page (search results link there). */
export function HistoryEvents({ collectionId, documentId }: { collectionId: string; documentId: string }) {
  const { data, error, isPending } = useQuery(documentHistoryQuery(collectionId, documentId));
  if (isPending) return <p className="text-sm text-muted-foreground">Loading…</p>;
  if (error) return <p className="text-sm text-destructive">{error.message}</p>;
  const { document, events } = data;
  return (
    <div className="space-y-4 text-sm">
      <p>
        Now <StageBadge stage={document.stage} /> since <span className="font-mono text-xs">{formatUtc(document.stageChangedAt)}</span> UTC, after {document.attempts} attempt{document.attempts === 1 ? "" : "s"}.
      </p>
      {document.errorMessage && (
        <p className="rounded bg-destructive/10 p-2 text-destructive">
          <span className="font-mono">{[document.errorStage, document.errorClass].filter(Boolean).join(" / ") || "error"}</span>: {document.errorMessage}
        </p>
      )}
      {events.length === 0 ? (
        <p className="text-muted-foreground">No stage events recorded.</p>
      ) : (
        <ol aria-label="Stage events" className="space-y-2">
          {events.map((e) => (
            <li key={e.id} className="border-l-2 pl-3">
              <div className="flex items-center gap-2">
                <StageBadge stage={e.stage} />
                <span className="font-mono text-xs text-muted-foreground">{formatUtc(e.at)} UTC</span>
              </div>
              {(e.errorClass || e.message) && (
                <p className="mt-1 text-xs">
                  {e.errorClass && <span className="font-mono">{e.errorClass}</span>}
                  {e.errorClass && e.message && ": "}
                  {e.message}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
