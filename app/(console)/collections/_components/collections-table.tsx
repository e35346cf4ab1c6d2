"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { collectionsQuery, type CollectionListItem } from "@/lib/query/collections";
import { OperationStatus } from "../../operations/_components/status";
import { CollectionStatus } from "./badges";
import { formatCount, formatUtc } from "@/lib/format";

export function CollectionsTable({ initial, canCreate }: { initial: CollectionListItem[]; canCreate: boolean }) {
  const { data = initial, error } = useQuery({ ...collectionsQuery(), initialData: initial });
  if (data.length === 0) return <EmptyState canCreate={canCreate} />;
  return (
    <>
      {error && <p className="mb-2 text-sm text-destructive">Live refresh paused: {error.message}</p>}
      <Table aria-label="Collections">
        <THead>
          <TR>
            <TH>Name</TH>
            <TH>Status</TH>
            <TH className="text-right">Documents</TH>
            <TH className="text-right">Points</TH>
            <TH className="text-right">Dead</TH>
            <TH>Last operation</TH>
          </TR>
        </THead>
        <TBody>
          {data.map(({ collection, stats, lastOperation }) => (
            <TR key={collection.id}>
              <TD>
                <Link href={`/collections/${collection.id}`} className="font-medium underline-offset-2 hover:underline">
                  {collection.name}
                </Link>
                {collection.description && <div className="max-w-xs truncate text-xs text-muted-foreground">{collection.description}</div>}
              </TD>
              <TD>
                <CollectionStatus status={collection.status} />
              </TD>
              <TD className="text-right tabular-nums">
                {formatCount(stats.documents)}
                {stats.active > 0 && <span className="block text-xs text-muted-foreground">{formatCount(stats.active)} in progress</span>}
              </TD>
              <TD className="text-right tabular-nums">{formatCount(stats.points)}</TD>
              <TD className="text-right tabular-nums">
                {stats.dead > 0 ? (
                  <Link href={`/collections/${collection.id}/dead-letters`} className="text-destructive underline-offset-2 hover:underline">
                    {formatCount(stats.dead)}
                  </Link>
                ) : (
                  0
                )}
              </TD>
              <TD>
                {lastOperation ? (
                  <span className="flex flex-wrap items-center gap-2">
                    <Link href={`/operations/${lastOperation.id}`} className="font-mono underline-offset-2 hover:underline">
                      {lastOperation.type}
                    </Link>
                    <OperationStatus status={lastOperation.status} result={lastOperation.result} />
                    <span className="font-mono text-xs text-muted-foreground">{formatUtc(lastOperation.createdAt)}</span>
                  </span>
                ) : (
                  "—"
                )}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </>
  );
}

function EmptyState({ canCreate }: { canCreate: boolean }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>No collections yet</CardTitle>
        <CardDescription>A collection holds the chunks and vectors of one or more source folders, ready to search.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-2 text-sm">
        {canCreate ? (
          <ol className="list-decimal space-y-1 pl-5">
            <li>
              Choose <Link href="/collections/new" className="underline">New collection</Link> and give it a name.
            </li>
            <li>Point it at a folder on the server, under the allowed source roots.</li>
            <li>Follow the INDEX operation live; once it succeeds, try the search playground on the collection page.</li>
          </ol>
        ) : (
          <p>Operators and admins can create one. Ask one of them, or an admin for the operator role.</p>
        )}
      </CardContent>
    </Card>
  );
}
