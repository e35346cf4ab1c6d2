"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatBytes, formatCount, formatUtc } from "@/lib/format";
import { deleteBackupAction, verifyBackupAction } from "../actions";
import { backupsQuery, type BackupListItem } from "./backup-queries";
import { RestoreButton } from "./restore-sheet";

type Props = { initial: BackupListItem[]; filter: string; collections: { id: string; name: string }[]; canStart: boolean; canDelete: boolean };

export function BackupsTable({ initial, filter, collections, canStart, canDelete }: Props) {
  const router = useRouter();
  const { data = initial, error } = useQuery({ ...backupsQuery(filter), initialData: initial });
  // When a backup ends, the flags and schedules (server-rendered) are read again.
  const running = data.filter((b) => b.status === "running").length;
  const wasRunning = useRef(running);
  useEffect(() => {
    if (running < wasRunning.current) router.refresh();
    wasRunning.current = running;
  }, [running, router]);
  return (
    <section className="mb-8 space-y-3" aria-labelledby="backups-heading">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="backups-heading" className="text-lg font-semibold">
          Backups
        </h2>
        <div className="flex items-center gap-2">
          <Label htmlFor="backup-filter">Collection</Label>
          <Select id="backup-filter" value={filter} onChange={(e) => router.push(e.target.value ? `/backups?collectionId=${e.target.value}` : "/backups")} className="w-56">
            <option value="">All collections</option>
            {collections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </div>
      </div>
      {error && <p className="text-sm text-destructive">Live refresh paused: {error.message}</p>}
      {data.length === 0 ? (
        <p className="rounded-md border border-dashed p-6 text-center text-sm text-muted-foreground">No backups yet. Start one from a collection, the API or the CLI, or import a file below.</p>
      ) : (
        <Table aria-label="Backups">
          <THead>
            <TR>
              <TH>Collection</TH>
              <TH>Kind</TH>
              <TH className="text-right">Size</TH>
              <TH className="text-right">Points</TH>
              <TH>Checksum</TH>
              <TH>Note</TH>
              <TH>Created</TH>
              <TH>Status</TH>
              <TH>Verified</TH>
              <TH>Actions</TH>
            </TR>
          </THead>
          <TBody>
            {data.map((b) => (
              <BackupRowView key={b.id} backup={b} collections={collections} canStart={canStart} canDelete={canDelete} />
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}

function kindOf(b: BackupListItem) {
  const parts = [b.kind === "full" ? "full" : "schema only"];
  if (b.kind === "full") parts.push(b.vectors ? "with vectors" : "no vectors");
  if (b.sourceFilter?.length) parts.push(`sources: ${b.sourceFilter.join(", ")}`);
  if (b.origin === "import") parts.push("imported");
  return parts.join(", ");
}

function BackupRowView({ backup: b, collections, canStart, canDelete }: { backup: BackupListItem; collections: { id: string; name: string }[]; canStart: boolean; canDelete: boolean }) {
  const complete = b.status === "complete";
  return (
    <TR data-testid={`backup-${b.id}`}>
      <TD className="font-medium">{b.collectionName}</TD>
      <TD className="text-xs">{kindOf(b)}</TD>
      <TD className="text-right tabular-nums">{b.sizeBytes != null ? formatBytes(b.sizeBytes) : "—"}</TD>
      <TD className="text-right tabular-nums">{b.pointCount != null ? formatCount(b.pointCount) : "—"}</TD>
      <TD>{b.sha256 ? <Checksum sha256={b.sha256} /> : "—"}</TD>
      <TD className="max-w-48 truncate text-xs" title={b.note}>
        {b.note || "—"}
      </TD>
      <TD className="text-xs">
        {formatUtc(b.createdAt)}
        <span className="block text-muted-foreground">{b.createdByEmail ?? (b.origin === "import" ? "import" : "system")}</span>
      </TD>
      <TD>
        <Badge variant={b.status === "complete" ? "success" : b.status === "failed" ? "destructive" : "secondary"}>{b.status}</Badge>
        {b.error && <span className="block max-w-48 text-xs text-destructive">{b.error}</span>}
      </TD>
      <TD className="text-xs">
        {b.verifiedAt ? (
          <>
            <Badge variant={b.verifiedOk ? "success" : "destructive"}>{b.verifiedOk ? "verified" : "verify failed"}</Badge>
            <span className="block text-muted-foreground">{formatUtc(b.verifiedAt)}</span>
            {b.verifyError && <span className="block max-w-48 text-destructive">{b.verifyError}</span>}
          </>
        ) : (
          <span className="text-muted-foreground">never</span>
        )}
        {b.drilledAt && (
          <span className={`block ${b.drillOk ? "text-success" : "text-destructive"}`} title={b.drillReport?.errors.join(" ") || undefined}>
            drill {b.drillOk ? "passed" : "failed"} {formatUtc(b.drilledAt)}
          </span>
        )}
      </TD>
      <TD>
        <div className="flex flex-wrap gap-1">
          {complete && (
            <a href={`/api/v1/backups/${b.id}/download`} className={buttonVariants({ variant: "outline", size: "sm" })} download>
              Download
            </a>
          )}
          {complete && canStart && <VerifyButton backupId={b.id} />}
          {complete && canStart && <RestoreButton backup={b} collections={collections} />}
          {canDelete && b.status !== "running" && <DeleteButton backup={b} />}
        </div>
      </TD>
    </TR>
  );
}

/** The first 12 hex digits; the whole checksum on hover and on the clipboard. */
function Checksum({ sha256 }: { sha256: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="font-mono text-xs underline decoration-dotted underline-offset-2"
      title={`SHA-256 ${sha256} (click to copy)`}
      onClick={() => navigator.clipboard?.writeText(sha256).then(() => setCopied(true), () => undefined)}
    >
      {copied ? "copied" : `${sha256.slice(0, 12)}…`}
    </button>
  );
}

/** After a change the list is read again at once (it polls only while a backup runs). */
function useRefetchOnSuccess(ok: boolean | undefined, state: unknown) {
  const client = useQueryClient();
  useEffect(() => {
    if (ok) void client.invalidateQueries({ queryKey: ["backups"] });
  }, [ok, state, client]);
}

function VerifyButton({ backupId }: { backupId: string }) {
  const [state, action, pending] = useActionState(verifyBackupAction, null);
  useRefetchOnSuccess(state?.ok, state);
  return (
    <form action={action} className="contents">
      <input type="hidden" name="backupId" value={backupId} />
      <Button type="submit" variant="outline" size="sm" disabled={pending}>
        {pending ? "Starting…" : "Verify"}
      </Button>
      {state?.ok && (
        <Link href={`/operations/${state.data.operationId}`} className="self-center text-xs underline underline-offset-2">
          verify operation
        </Link>
      )}
      {state && !state.ok && <span className="self-center text-xs text-destructive">{state.formError}</span>}
    </form>
  );
}

function DeleteButton({ backup }: { backup: BackupListItem }) {
  const [state, action] = useActionState(deleteBackupAction, null);
  useRefetchOnSuccess(state?.ok, state);
  return (
    <form action={action} className="contents">
      <input type="hidden" name="backupId" value={backup.id} />
      <ConfirmButton variant="destructive" size="sm" title={`Delete this backup of ${backup.collectionName}?`} description="Its file is deleted from the backup directory. This cannot be undone." confirmLabel="Delete backup">
        Delete
      </ConfirmButton>
      {state && !state.ok && <span className="self-center text-xs text-destructive">{state.formError}</span>}
    </form>
  );
}
