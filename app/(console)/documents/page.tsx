import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { listCollections } from "@/lib/services/collection/read";
import { CollectionStatus } from "../collections/_components/badges";
import { formatCount } from "@/lib/format";

export const metadata = { title: "Documents · Stevedore" };

/** Documents live inside collections: this page is the way in, one row per collection. */
export default async function DocumentsPage() {
  const ctx = await pageContext();
  const rows = await listCollections({ ctx });
  return (
    <>
      <PageHeader title="Documents" description="Pick a collection to see its documents by pipeline stage, their history, and its dead letters." />
      {rows.length === 0 ? (
        <p className="py-8 text-center text-sm text-muted-foreground">
          No collections yet, so no documents. Create one on the{" "}
          <Link href="/collections" className="underline">
            Collections
          </Link>{" "}
          page.
        </p>
      ) : (
        <Table aria-label="Documents by collection">
          <THead>
            <TR>
              <TH>Collection</TH>
              <TH>Status</TH>
              <TH className="text-right">Documents</TH>
              <TH className="text-right">Complete</TH>
              <TH className="text-right">In progress</TH>
              <TH className="text-right">Dead letters</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map(({ collection, stats }) => (
              <TR key={collection.id}>
                <TD>
                  <Link href={`/collections/${collection.id}/documents`} className="font-medium underline-offset-2 hover:underline">
                    {collection.name}
                  </Link>
                </TD>
                <TD>
                  <CollectionStatus status={collection.status} />
                </TD>
                <TD className="text-right tabular-nums">{formatCount(stats.documents)}</TD>
                <TD className="text-right tabular-nums">{formatCount(stats.complete)}</TD>
                <TD className="text-right tabular-nums">
                  {stats.active > 0 ? (
                    <Link href={`/collections/${collection.id}/documents`} className="underline-offset-2 hover:underline">
                      {formatCount(stats.active)}
                    </Link>
                  ) : (
                    0
                  )}
                </TD>
                <TD className="text-right tabular-nums">
                  {stats.dead > 0 ? (
                    <Link href={`/collections/${collection.id}/dead-letters`} className="text-destructive underline-offset-2 hover:underline" aria-label={`${formatCount(stats.dead)} dead letters in ${collection.name}`}>
                      {formatCount(stats.dead)}
                    </Link>
                  ) : (
                    0
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </>
  );
}
