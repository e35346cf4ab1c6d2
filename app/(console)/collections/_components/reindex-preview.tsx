"use client";

import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { cn } from "@/components/ui/cn";
import { formatBytes, formatCount } from "@/lib/format";
import { ApiError, type ReindexPreview } from "@/lib/query/reindex";
import { durationText, formatSetting, pointsText, SETTING_KEYS, SETTING_LABELS, throttledEtaText } from "@/lib/reindex-display";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The dry run's answer beside the form: the settings now and after, and what the reindex will take. */
export function ReindexPreviewPanel({ preview, error, updating, throttle, noChange }: { preview?: ReindexPreview; error: Error | null; updating: boolean; throttle: string; noChange?: string[] }) {
  const changed = new Set(preview?.diff.map((d) => d.field));
  const throttleValue = throttle.trim() === "" || !Number.isFinite(Number(throttle)) ? null : Number(throttle);
  return (
    <div className="grid content-start gap-4">
      <Card>
        <CardHeader className="flex-row items-baseline justify-between">
          <CardTitle as="h2">What changes</CardTitle>
          <span className="text-xs text-muted-foreground" role="status">
            {updating ? "Updating…" : ""}
          </span>
        </CardHeader>
        <CardContent>
          {error ? (
            <p className="text-sm text-muted-foreground">{error instanceof ApiError && error.code === "invalid" ? "Fix the marked fields to see the change and the estimate." : error.message}</p>
          ) : !preview ? (
            <p className="text-sm text-muted-foreground">Working out the change…</p>
          ) : (
            <>
              <Table aria-label="Settings diff" className={cn(updating && "opacity-60")}>
                <THead>
                  <TR>
                    <TH>Setting</TH>
                    <TH>Live{preview.liveVersion !== null ? ` (v${preview.liveVersion})` : ""}</TH>
                    <TH>New version</TH>
                  </TR>
                </THead>
                <TBody>
                  {SETTING_KEYS.map((key) => (
                    <TR key={key} data-changed={changed.has(key) || undefined} className={changed.has(key) ? "bg-warning/15 font-medium hover:bg-warning/20" : "text-muted-foreground"}>
                      <TD>
                        {SETTING_LABELS[key]}
                        {changed.has(key) && (
                          <Badge variant="warning" className="ml-2">
                            changes
                          </Badge>
                        )}
                      </TD>
                      <TD className="break-all font-mono text-xs">{formatSetting(key, preview.current[key])}</TD>
                      <TD className={cn("break-all font-mono text-xs", changed.has(key) && "font-bold text-foreground")}>{formatSetting(key, preview.next[key])}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
              {preview.diff.length === 0 && <p className="mt-2 text-sm text-muted-foreground">{noChange?.[0] ?? "Nothing changes yet: these are the live settings."}</p>}
            </>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h2">Estimate</CardTitle>
        </CardHeader>
        <CardContent>
          {!preview || error ? (
            <p className="text-sm text-muted-foreground">—</p>
          ) : (
            <dl aria-label="Estimate" className={cn("grid grid-cols-[9rem_1fr] gap-x-4 gap-y-1.5 text-sm", updating && "opacity-60")}>
              <Fact label="Documents">{formatCount(preview.estimate.documents)} to re-chunk and re-embed</Fact>
              <Fact label="Points">{pointsText(preview.estimate)}</Fact>
              <Fact label="Disk">
                <DiskFact disk={preview.disk} />
              </Fact>
              <Fact label="Expected duration">{durationText(preview.estimate)}</Fact>
              {throttleValue !== null && <Fact label="With the throttle">{throttledEtaText(preview.estimate, throttleValue) ?? "—"}</Fact>}
            </dl>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function DiskFact({ disk }: { disk: ReindexPreview["disk"] }) {
  if (disk.free === null) return <>about {formatBytes(disk.needed)} needed; not checked here (the vector store is on another machine)</>;
  const available = Math.max(0, disk.free - disk.reserved - disk.margin);
  return (
    <span className={disk.ok ? undefined : "text-destructive"}>
      about {formatBytes(disk.needed)} needed of {formatBytes(available)} available
      <span className="block text-xs text-muted-foreground">
        {formatBytes(disk.free)} free, {formatBytes(disk.reserved)} reserved by operations under way, {formatBytes(disk.margin)} kept free
      </span>
    </span>
  );
}
