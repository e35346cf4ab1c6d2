import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { can } from "@/lib/auth/rbac";
import { formatBytes, formatCount, formatUtc } from "@/lib/format";
import { asJson } from "@/lib/query/fetch-json";
import { listBackups } from "@/lib/services/backup/manage";
import { BackupForm } from "../../_components/backup-form";
import { ClearCollectionForm } from "../../_components/clear-collection-form";
import { loadCollection } from "../load";

export const metadata = { title: "Collection backups · Stevedore" };

/** Back up this collection, see its backups, and (admins) clear it. Restores start from the Backups page. */
export default async function CollectionBackupsPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, detail, canOperate } = await loadCollection((await params).id);
  const { collection } = detail;
  const backups = asJson(await listBackups({ ctx, input: { collectionId: collection.id, limit: 20 } }));
  return (
    <div className="grid max-w-4xl gap-4">
      {canOperate && (
        <Card>
          <CardHeader>
            <CardTitle as="h2">Back up</CardTitle>
            <CardDescription>A streamed, checksummed file of this collection under the backup directory, taken while no other operation writes it.</CardDescription>
          </CardHeader>
          <CardContent>
            <BackupForm collectionId={collection.id} sources={detail.sources.map((s) => s.source.name)} />
          </CardContent>
        </Card>
      )}
      <Card>
        <CardHeader className="flex-row items-center justify-between">
          <CardTitle as="h2">Backups of {collection.name}</CardTitle>
          <Link href={`/backups?collectionId=${collection.id}`} className="text-sm underline underline-offset-2">
            Restore, verify or download on the Backups page
          </Link>
        </CardHeader>
        <CardContent>
          {backups.length === 0 ? (
            <p className="text-sm text-muted-foreground">No backup of this collection yet.</p>
          ) : (
            <Table aria-label="Backups of this collection">
              <THead>
                <TR>
                  <TH>Taken (UTC)</TH>
                  <TH>Status</TH>
                  <TH>Points</TH>
                  <TH>Size</TH>
                  <TH>Verified</TH>
                  <TH>Note</TH>
                </TR>
              </THead>
              <TBody>
                {backups.map((b) => (
                  <TR key={b.id}>
                    <TD className="font-mono text-xs">{formatUtc(b.createdAt)}</TD>
                    <TD>{b.operationId ? <Link href={`/operations/${b.operationId}`} className="underline underline-offset-2">{b.status}</Link> : b.status}</TD>
                    <TD>{b.pointCount === null ? "—" : formatCount(b.pointCount)}</TD>
                    <TD>{b.sizeBytes === null ? "—" : formatBytes(b.sizeBytes)}</TD>
                    <TD>{b.verifiedAt ? (b.verifiedOk ? `yes, ${formatUtc(b.verifiedAt)}` : `failed: ${b.verifyError ?? ""}`) : "never"}</TD>
                    <TD className="max-w-64 truncate" title={b.note}>{b.note || "—"}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
      {can(ctx.actor.role, "collection.clear") && (
        <Card className="border-destructive/40">
          <CardHeader>
            <CardTitle as="h2">Clear this collection</CardTitle>
            <CardDescription>Removes every point and document and keeps the settings and sources, so an APPEND or a restore can fill it again.</CardDescription>
          </CardHeader>
          <CardContent>
            <ClearCollectionForm collectionId={collection.id} name={collection.name} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
