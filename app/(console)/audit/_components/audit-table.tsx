"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Sheet } from "@/components/ui/sheet";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";

export type AuditTableRow = {
  id: number;
  at: string;
  actorEmail: string;
  actorType: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  params: Record<string, unknown> | null;
  outcome: "success" | "failure" | "denied";
  error: string | null;
  ip: string | null;
  correlationId: string | null;
};

const OUTCOME_VARIANT = { success: "success", failure: "destructive", denied: "warning" } as const;

export function AuditTable({ rows }: { rows: AuditTableRow[] }) {
  const [selected, setSelected] = useState<AuditTableRow | null>(null);
  if (rows.length === 0) return <p className="py-8 text-center text-sm text-muted-foreground">No audit entries match this filter.</p>;
  return (
    <>
      <Table>
        <THead>
          <TR>
            <TH>Time (UTC)</TH>
            <TH>Actor</TH>
            <TH>Action</TH>
            <TH>Target</TH>
            <TH>Outcome</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => (
            <TR key={row.id} className="cursor-pointer hover:bg-muted/50" onClick={() => setSelected(row)}>
              <TD className="whitespace-nowrap font-mono text-xs">{row.at.replace("T", " ").slice(0, 19)}</TD>
              <TD>{row.actorEmail}</TD>
              <TD>
                <button type="button" className="font-mono underline-offset-2 hover:underline" onClick={() => setSelected(row)}>
                  {row.action}
                </button>
              </TD>
              <TD className="text-muted-foreground">{row.targetType ? `${row.targetType}${row.targetId ? ` ${row.targetId.slice(0, 8)}` : ""}` : "—"}</TD>
              <TD>
                <Badge variant={OUTCOME_VARIANT[row.outcome]}>{row.outcome}</Badge>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Sheet open={selected !== null} onOpenChange={(open) => !open && setSelected(null)} title={selected ? `Audit entry #${selected.id}` : ""}>
        {selected && (
          <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Time</dt>
            <dd className="font-mono">{selected.at}</dd>
            <dt className="text-muted-foreground">Actor</dt>
            <dd>
              {selected.actorEmail} ({selected.actorType})
            </dd>
            <dt className="text-muted-foreground">Action</dt>
            <dd className="font-mono">{selected.action}</dd>
            <dt className="text-muted-foreground">Target</dt>
            <dd className="break-all">{selected.targetType ? `${selected.targetType} ${selected.targetId ?? ""}` : "—"}</dd>
            <dt className="text-muted-foreground">Outcome</dt>
            <dd>
              <Badge variant={OUTCOME_VARIANT[selected.outcome]}>{selected.outcome}</Badge>
              {selected.error && <span className="ml-2">{selected.error}</span>}
            </dd>
            <dt className="text-muted-foreground">IP</dt>
            <dd>{selected.ip ?? "—"}</dd>
            <dt className="text-muted-foreground">Correlation id</dt>
            <dd className="break-all font-mono text-xs">{selected.correlationId ?? "—"}</dd>
            <dt className="text-muted-foreground">Parameters</dt>
            <dd>
              <pre className="overflow-x-auto rounded bg-muted p-2 text-xs">{JSON.stringify(selected.params ?? {}, null, 2)}</pre>
            </dd>
          </dl>
        )}
      </Sheet>
    </>
  );
}
