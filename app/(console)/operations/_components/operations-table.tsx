"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { buttonVariants } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useNow } from "@/components/ui/use-now";
import { formatDuration, formatUtc } from "@/lib/format";
import { operationsQuery, type OperationListPage } from "@/lib/query/operations";
import { BulkActions } from "./bulk-actions";
import { OperationLeadCells } from "./operation-progress";
import { totalText } from "./total";

type Props = {
  filter: Record<string, string>;
  /** The cursor the page was opened at (`cursor` or `before`), kept by the live refresh. */
  position: Record<string, string>;
  initial: OperationListPage;
  canBulk: boolean;
};

const href = (params: Record<string, string>) => `/operations?${new URLSearchParams(params)}`;

/** One page of the job history; refreshes every second while a row on it is under way. */
export function OperationsTable({ filter, position, initial, canBulk }: Props) {
  const { data = initial, error } = useQuery({ ...operationsQuery({ ...filter, ...position }), initialData: initial });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const now = useNow();
  const rows = data.rows;
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.operation.id));
  const filtered = Object.keys(filter).length > 0;

  return (
    <>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground" data-testid="operations-total">
          {totalText(data.total)}
          {filtered ? " match this filter" : ""}
        </p>
        <a className={buttonVariants({ variant: "outline", size: "sm" })} href={`/api/v1/operations/export?${new URLSearchParams(filter)}`} download>
          Export CSV
        </a>
      </div>
      {canBulk && <BulkActions selected={[...selected]} filter={filter} onDone={() => setSelected(new Set())} />}
      {error && <p className="mb-2 text-sm text-destructive">Live refresh paused: {error.message}</p>}
      {rows.length === 0 ? (
        <p className="py-8 text-center text-sm text-muted-foreground">{filtered ? "No operations match this filter." : "No operations yet. Start one from a collection, or run the self-test on the Health page."}</p>
      ) : (
        <Table>
          <THead>
            <TR>
              {canBulk && (
                <TH className="w-8">
                  <input type="checkbox" aria-label="Select every operation on this page" checked={allOnPage} onChange={() => setSelected(allOnPage ? new Set() : new Set(rows.map((r) => r.operation.id)))} />
                </TH>
              )}
              <TH>Type</TH>
              <TH>Status</TH>
              <TH>Progress</TH>
              <TH>Collection</TH>
              <TH>Requested by</TH>
              <TH>Created (UTC)</TH>
              <TH>Duration</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map(({ operation: op, requestedBy, collectionName }) => (
              <TR key={op.id} data-status={op.status}>
                {canBulk && (
                  <TD>
                    <input type="checkbox" aria-label={`Select ${op.type} ${op.id.slice(0, 8)}`} checked={selected.has(op.id)} onChange={() => toggle(op.id)} />
                  </TD>
                )}
                <OperationLeadCells op={op} />
                <TD>{collectionName ?? "—"}</TD>
                <TD>{requestedBy ?? "system"}</TD>
                <TD className="font-mono text-xs">{formatUtc(op.createdAt)}</TD>
                <TD>{op.startedAt ? formatDuration((op.finishedAt ? Date.parse(op.finishedAt) : now) - Date.parse(op.startedAt)) : "—"}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center gap-2">
        {Object.keys(position).length > 0 && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={href(filter)}>
            Newest
          </Link>
        )}
        {data.prevCursor && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={href({ ...filter, before: data.prevCursor })} rel="prev">
            Newer
          </Link>
        )}
        {data.nextCursor && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={href({ ...filter, cursor: data.nextCursor })} rel="next">
            Older
          </Link>
        )}
      </nav>
    </>
  );
}
