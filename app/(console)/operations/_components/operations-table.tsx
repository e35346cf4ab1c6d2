"use client";

import { useQuery } from "@tanstack/react-query";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useNow } from "@/components/ui/use-now";
import { operationsQuery, type OperationListItem } from "@/lib/query/operations";
import { OperationLeadCells } from "./operation-progress";
import { formatDuration, formatUtc } from "@/lib/format";

export function OperationsTable({ filter, initial }: { filter: Record<string, string>; initial: OperationListItem[] }) {
  const { data = initial, error } = useQuery({ ...operationsQuery(filter), initialData: initial });
  const now = useNow();
  if (data.length === 0) return <p className="py-8 text-center text-sm text-muted-foreground">{Object.keys(filter).length ? "No operations match this filter." : "No operations yet. Start one from a collection, or run the self-test on the Health page."}</p>;
  return (
    <>
      {error && <p className="mb-2 text-sm text-destructive">Live refresh paused: {error.message}</p>}
      <Table>
        <THead>
          <TR>
            <TH>Type</TH>
            <TH>Status</TH>
            <TH>Progress</TH>
            <TH>Requested by</TH>
            <TH>Created (UTC)</TH>
            <TH>Duration</TH>
          </TR>
        </THead>
        <TBody>
          {data.map(({ operation: op, requestedBy }) => (
            <TR key={op.id}>
              <OperationLeadCells op={op} />
              <TD>{requestedBy ?? "system"}</TD>
              <TD className="font-mono text-xs">{formatUtc(op.createdAt)}</TD>
              <TD>{op.startedAt ? formatDuration((op.finishedAt ? Date.parse(op.finishedAt) : now) - Date.parse(op.startedAt)) : "—"}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </>
  );
}
