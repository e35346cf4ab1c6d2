import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { CollectionDetail } from "@/lib/query/collections";
import { OperationLeadCells } from "../../operations/_components/operation-progress";
import { formatUtc } from "@/lib/format";

type Operation = CollectionDetail["operations"][number];

export function CollectionOperations({ operations }: { operations: Operation[] }) {
  return (
    <section aria-labelledby="operations-heading" id="operations" className="mb-8">
      <h2 id="operations-heading" className="mb-2 text-lg font-semibold">
        Operations
      </h2>
      {operations.length === 0 ? (
        <p className="py-4 text-sm text-muted-foreground">No operations on this collection yet.</p>
      ) : (
        <Table aria-label="Operations">
          <THead>
            <TR>
              <TH>Type</TH>
              <TH>Status</TH>
              <TH>Progress</TH>
              <TH>Created (UTC)</TH>
            </TR>
          </THead>
          <TBody>
            {operations.map((op) => (
              <TR key={op.id}>
                <OperationLeadCells op={op} />
                <TD className="font-mono text-xs">{formatUtc(op.createdAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}
