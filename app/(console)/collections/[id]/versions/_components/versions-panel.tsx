"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useNow } from "@/components/ui/use-now";
import { formatCount, formatUtc } from "@/lib/format";
import type { CollectionDetail } from "@/lib/query/collections";
import { versionsQuery, type VersionRow, type VersionsData } from "@/lib/query/versions";
import { useLiveCollection } from "../../../_components/live-collection";
import { DeleteVersionButton, KeepSwitch, RollbackButton } from "./version-actions";

type Variant = "default" | "secondary" | "success" | "warning" | "destructive" | "outline";
const STATUS_VARIANT: Record<string, Variant> = { active: "success", staging: "default", retired: "secondary", failed: "destructive", deleted: "outline" };
const REASON_LABEL: Record<string, string> = { index: "first index", reindex: "reindex", rollback: "rollback", restore: "restore" };

/** "in 23 h 5 min", "in 2 d 4 h", or null once it is due. */
function timeLeft(iso: string, now: number): string | null {
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return null;
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) return `in ${Math.floor(hours / 24)} d ${hours % 24} h`;
  return hours ? `in ${hours} h ${minutes % 60} min` : `in ${Math.max(1, minutes)} min`;
}

const settingsSummary = (v: VersionRow) => `${v.embeddingModel}, chunks ${formatCount(v.chunkSize)} / ${formatCount(v.chunkOverlap)}`;

function Utc({ value }: { value: string | null }) {
  return <span className="whitespace-nowrap font-mono text-xs">{formatUtc(value)}</span>;
}

/** When a retired version goes: a countdown, kept, or due; nothing for the others. */
function Deletion({ version, now }: { version: VersionRow; now: number }) {
  if (version.status !== "retired") return <span className="text-muted-foreground">—</span>;
  if (version.keep) return <span>Kept: not deleted</span>;
  if (!version.deleteAfter) return <span className="text-muted-foreground">—</span>;
  const left = timeLeft(version.deleteAfter, now);
  return (
    <span className="flex flex-col">
      <Utc value={version.deleteAfter} />
      <span className={left ? "text-xs text-muted-foreground" : "text-xs text-warning-foreground dark:text-warning"} data-testid={`deletion-v${version.version}`}>
        {left ?? "due: its clean-up runs shortly"}
      </span>
    </span>
  );
}

export function VersionsPanel({ initial, detail, canOperate, canDelete, windowHours }: { initial: VersionsData; detail: CollectionDetail; canOperate: boolean; canDelete: boolean; windowHours: number }) {
  const collectionId = detail.collection.id;
  const { live: busy } = useLiveCollection(detail);
  const { data = initial, error } = useQuery({ ...versionsQuery(collectionId, busy), initialData: initial });
  const queryClient = useQueryClient();
  // Once the collection's operation ends, read the versions again: its last change may land after the last poll.
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current && !busy) void queryClient.invalidateQueries({ queryKey: ["collection", collectionId, "versions"] });
    wasBusy.current = busy;
  }, [busy, collectionId, queryClient]);
  const now = useNow(30_000);
  const { versions, history, orphans, rollbackTo } = data;
  const liveVersion = versions.find((v) => v.status === "active");
  const target = rollbackTo ? versions.find((v) => v.id === rollbackTo.versionId) : undefined;

  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle as="h2">Versions</CardTitle>
          <CardDescription>
            Searches read the live version. A reindex builds the next one beside it and switches when validation passes; the one it replaces is kept for the rollback window ({windowHours} h).
          </CardDescription>
          {error && <p className="text-sm text-destructive">Live refresh paused: {error.message}</p>}
        </CardHeader>
        <CardContent className="space-y-4">
          {target ? (
            <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg border bg-muted/30 p-3 text-sm" data-testid="rollback-panel">
              <div className="space-y-0.5">
                <p>
                  Version {target.version} ({settingsSummary(target)}) was live until <Utc value={target.retiredAt} />.
                </p>
                <p className="text-muted-foreground">
                  {target.keep ? "It is kept past its rollback window, until it is let go." : <>It can be rolled back to until <Utc value={target.deleteAfter} /> {target.deleteAfter && timeLeft(target.deleteAfter, now) ? `(${timeLeft(target.deleteAfter, now)})` : ""}.</>}
                </p>
                {busy && canOperate && <p className="text-xs text-muted-foreground">An operation is running on this collection; roll back once it has ended.</p>}
              </div>
              {canOperate ? <RollbackButton collectionId={collectionId} target={target} live={liveVersion} windowHours={windowHours} disabled={busy} /> : <p className="text-muted-foreground">An operator can roll back.</p>}
            </div>
          ) : (
            <p className="text-sm text-muted-foreground">No earlier version is kept for a rollback.</p>
          )}
          <Table aria-label="Versions">
            <THead>
              <TR>
                <TH>Version</TH>
                <TH>Status</TH>
                <TH>Settings</TH>
                <TH className="text-right">Points</TH>
                <TH>Created, activated, retired (UTC)</TH>
                <TH>Deleted after (UTC)</TH>
                <TH>Keep</TH>
              </TR>
            </THead>
            <TBody>
              {versions.map((v) => (
                <TR key={v.id} data-testid={`version-${v.version}`}>
                  <TD className="font-medium tabular-nums">
                    <span className="flex items-center gap-2">
                      {v.version}
                      {v.status === "active" && <Badge variant="outline">live</Badge>}
                    </span>
                    <span className="block font-mono text-xs font-normal text-muted-foreground">{v.physicalName}</span>
                  </TD>
                  <TD>
                    <Badge variant={STATUS_VARIANT[v.status] ?? "outline"}>{v.status}</Badge>
                  </TD>
                  <TD className="whitespace-nowrap text-xs">
                    <span className="block font-mono">{v.embeddingModel}</span>
                    <span className="block text-muted-foreground">
                      {v.dimension} d, {v.distance}
                    </span>
                    <span className="block text-muted-foreground">
                      chunks {formatCount(v.chunkSize)} / {formatCount(v.chunkOverlap)} overlap
                    </span>
                  </TD>
                  <TD className="text-right tabular-nums">{formatCount(v.pointCount)}</TD>
                  <TD>
                    <dl className="grid grid-cols-[auto_auto] justify-start gap-x-2 text-xs">
                      <dt className="text-muted-foreground">created</dt>
                      <dd>
                        <Utc value={v.createdAt} />
                      </dd>
                      {v.activatedAt && (
                        <>
                          <dt className="text-muted-foreground">activated</dt>
                          <dd>
                            <Utc value={v.activatedAt} />
                          </dd>
                        </>
                      )}
                      {v.retiredAt && (
                        <>
                          <dt className="text-muted-foreground">retired</dt>
                          <dd>
                            <Utc value={v.retiredAt} />
                          </dd>
                        </>
                      )}
                    </dl>
                  </TD>
                  <TD>
                    <Deletion version={v} now={now} />
                  </TD>
                  <TD>{v.status !== "retired" ? <span className="text-muted-foreground">—</span> : canOperate ? <KeepSwitch collectionId={collectionId} version={v} /> : <span>{v.keep ? "Kept" : "Not kept"}</span>}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Alias history</CardTitle>
          <CardDescription>Every move of the alias searches follow, newest first.</CardDescription>
        </CardHeader>
        <CardContent>
          <Table aria-label="Alias history">
            <THead>
              <TR>
                <TH>When (UTC)</TH>
                <TH>Who</TH>
                <TH>From → to</TH>
                <TH>Reason</TH>
                <TH>Operation</TH>
              </TR>
            </THead>
            <TBody>
              {history.map((c) => (
                <TR key={c.id}>
                  <TD>
                    <Utc value={c.at} />
                  </TD>
                  <TD className="break-all">{c.actorLabel}</TD>
                  <TD className="tabular-nums">
                    {c.fromVersion ?? "—"} → {c.toVersion}
                  </TD>
                  <TD>{REASON_LABEL[c.reason] ?? c.reason}</TD>
                  <TD>
                    {c.operationId ? (
                      <Link href={`/operations/${c.operationId}`} className="font-mono text-xs underline underline-offset-2" aria-label={`Operation of the ${REASON_LABEL[c.reason] ?? c.reason} to version ${c.toVersion}`}>
                        {c.operationId.slice(0, 8)}
                      </Link>
                    ) : (
                      <span className="text-muted-foreground">—</span>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {history.length === 0 && <p className="mt-2 text-sm text-muted-foreground">The alias has not moved yet: the first INDEX makes version 1 live.</p>}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Listed for deletion</CardTitle>
          <CardDescription>Versions in the vector store that nothing holds any more: no reindex is building them, no rollback can use them.</CardDescription>
        </CardHeader>
        <CardContent>
          {orphans.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing is listed for deletion.</p>
          ) : (
            <Table aria-label="Listed for deletion">
              <THead>
                <TR>
                  <TH>In the vector store</TH>
                  <TH>Version</TH>
                  <TH>Status</TH>
                  <TH>Why</TH>
                  <TH className="text-right">{canDelete ? "Delete" : ""}</TH>
                </TR>
              </THead>
              <TBody>
                {orphans.map((o) => (
                  <TR key={o.physicalName}>
                    <TD className="break-all font-mono text-xs">{o.physicalName}</TD>
                    <TD className="tabular-nums">{o.version ?? "—"}</TD>
                    <TD>
                      <Badge variant={STATUS_VARIANT[o.status] ?? "outline"}>{o.status}</Badge>
                    </TD>
                    <TD className="text-sm">{o.reason}</TD>
                    <TD className="text-right">{canDelete ? <DeleteVersionButton collectionId={collectionId} versionId={o.versionId} physicalName={o.physicalName} /> : null}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
          {orphans.length > 0 && !canDelete && <p className="mt-2 text-xs text-muted-foreground">An admin can delete them.</p>}
        </CardContent>
      </Card>
    </>
  );
}
