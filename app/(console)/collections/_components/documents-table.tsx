import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { DocumentRow } from "@/lib/query/collections";
import { StageBadge } from "./badges";
import { formatBytes } from "@/lib/format";

type Props = {
  documents: DocumentRow[];
  sourceNames: Map<string, string>;
  onHistory: (document: DocumentRow) => void;
  emptyText: string;
  /** Dead letters add a checkbox column; the table itself stays the same. */
  selection?: { selected: Set<string>; toggle: (id: string) => void; toggleAll: () => void; selectable: (d: DocumentRow) => boolean };
};

export function DocumentsTable({ documents, sourceNames, onHistory, emptyText, selection }: Props) {
  if (documents.length === 0) return <p className="py-6 text-center text-sm text-muted-foreground">{emptyText}</p>;
  const selectable = selection ? documents.filter(selection.selectable) : [];
  const allSelected = selectable.length > 0 && selectable.every((d) => selection!.selected.has(d.id));
  return (
    <Table aria-label="Documents">
      <THead>
        <TR>
          {selection && (
            <TH className="w-8">
              <input type="checkbox" aria-label="Select all on this page" checked={allSelected} disabled={selectable.length === 0} onChange={selection.toggleAll} />
            </TH>
          )}
          <TH>Path</TH>
          <TH>Stage</TH>
          <TH className="text-right">Chunks</TH>
          <TH className="text-right">Size</TH>
          <TH className="text-right">Attempts</TH>
          <TH>Error</TH>
          <TH>
            <span className="sr-only">History</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {documents.map((d) => (
          <TR key={d.id}>
            {selection && (
              <TD>
                {selection.selectable(d) ? (
                  <input type="checkbox" aria-label={`Select ${d.path}`} checked={selection.selected.has(d.id)} onChange={() => selection.toggle(d.id)} />
                ) : (
                  <input type="checkbox" aria-label={`${d.path}: a retry cannot help`} disabled checked={false} readOnly />
                )}
              </TD>
            )}
            <TD className="max-w-md">
              <div className="break-all font-mono text-xs">{d.path}</div>
              <div className="text-xs text-muted-foreground">
                {sourceNames.get(d.sourceId) ?? "unknown source"}
                {d.title && ` · ${d.title}`}
                {d.duplicateOf && (d.stage === "dead" ? " · duplicate of a dead letter" : " · duplicate of an indexed document")}
              </div>
            </TD>
            <TD>
              <StageBadge stage={d.stage} />
            </TD>
            <TD className="text-right tabular-nums">{d.chunkCount}</TD>
            <TD className="whitespace-nowrap text-right tabular-nums">{formatBytes(d.sizeBytes)}</TD>
            <TD className="text-right tabular-nums">{d.attempts}</TD>
            <TD className="max-w-sm text-xs">
              {d.errorClass || d.errorMessage ? (
                <>
                  <span className="font-mono">{[d.errorStage, d.errorClass].filter(Boolean).join(" / ")}</span>
                  {d.errorMessage && <span className="block text-muted-foreground">{d.errorMessage}</span>}
                </>
              ) : (
                "—"
              )}
            </TD>
            <TD>
              <Button type="button" variant="ghost" size="sm" onClick={() => onHistory(d)} aria-label={`History of ${d.path}`}>
                History
              </Button>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
