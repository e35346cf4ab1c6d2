"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Sheet } from "@/components/ui/sheet";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatUtc } from "@/lib/format";
import { deleteScheduleAction, saveScheduleAction } from "../actions";
import type { CollectionBackupItem } from "./backup-queries";

/** Per collection: its schedule and retention, its flags, and when a drill last proved a backup restorable. */
export function SchedulesTable({ overview, canManage }: { overview: CollectionBackupItem[]; canManage: boolean }) {
  if (!overview.length) return null;
  return (
    <section className="space-y-3" aria-labelledby="schedules-heading">
      <h2 id="schedules-heading" className="text-lg font-semibold">
        Schedules and restore drills
      </h2>
      <Table aria-label="Backup schedules">
        <THead>
          <TR>
            <TH>Collection</TH>
            <TH>Schedule</TH>
            <TH>Retention</TH>
            <TH>Drill</TH>
            <TH>Last backup</TH>
            <TH>Last proven restorable</TH>
            <TH>Flags</TH>
            {canManage && <TH>Actions</TH>}
          </TR>
        </THead>
        <TBody>
          {overview.map((c) => {
            const s = c.schedule;
            return (
              <TR key={c.collectionId} data-testid={`schedule-${c.name}`}>
                <TD className="font-medium">{c.name}</TD>
                <TD className="text-xs">
                  {s ? (
                    <>
                      <span className="font-mono">{s.cron}</span> {s.enabled ? "" : <Badge variant="secondary">paused</Badge>}
                      <span className="block text-muted-foreground">{s.kind === "full" ? (s.vectors ? "full, with vectors" : "full, no vectors") : "schema only"}</span>
                      {s.lastError && <span className="block max-w-56 text-destructive">{s.lastError}</span>}
                    </>
                  ) : (
                    <span className="text-muted-foreground">none</span>
                  )}
                </TD>
                <TD className="text-xs">{s ? retention(s.keepLast, s.keepDays) : "—"}</TD>
                <TD className="font-mono text-xs">{s?.drillCron ?? "—"}</TD>
                <TD className="text-xs">{c.lastBackupAt ? formatUtc(c.lastBackupAt) : "never"}</TD>
                <TD className="text-xs">{c.lastProvenAt ? formatUtc(c.lastProvenAt) : <span className="text-muted-foreground">never</span>}</TD>
                <TD>
                  <div className="flex flex-wrap gap-1">
                    {c.flags.length ? (
                      c.flags.map((f) => (
                        <Badge key={f.kind} variant={f.kind === "unverified" ? "warning" : "destructive"} title={f.message}>
                          {f.kind}
                        </Badge>
                      ))
                    ) : (
                      <Badge variant="success">ok</Badge>
                    )}
                  </div>
                </TD>
                {canManage && (
                  <TD>
                    <div className="flex gap-1">
                      <ScheduleButton collection={c} />
                      {s && <DeleteScheduleButton scheduleId={s.id} name={c.name} />}
                    </div>
                  </TD>
                )}
              </TR>
            );
          })}
        </TBody>
      </Table>
    </section>
  );
}

function retention(keepLast: number | null, keepDays: number | null) {
  const rules = [keepLast !== null && `last ${keepLast}`, keepDays !== null && `${keepDays} days`].filter(Boolean);
  return rules.length ? `keep ${rules.join(" or ")}` : "keep all";
}

function ScheduleButton({ collection }: { collection: CollectionBackupItem }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        {collection.schedule ? "Edit" : "Schedule"}
      </Button>
      <Sheet open={open} onOpenChange={setOpen} title={`Backup schedule of ${collection.name}`} description="Cron expressions in UTC (5 fields, or 6 with seconds first). A backup kept by either retention rule stays; the only verified backup is never pruned.">
        {open && <ScheduleForm collection={collection} />}
      </Sheet>
    </>
  );
}

function ScheduleForm({ collection }: { collection: CollectionBackupItem }) {
  const [state, action, pending] = useActionState(saveScheduleAction, null);
  const s = collection.schedule;
  // Controlled, because React resets a form after each action: a refused save must keep what was typed.
  const [values, setValues] = useState({
    cron: s?.cron ?? "0 3 * * *",
    kind: s?.kind ?? "full",
    vectors: s?.vectors ?? true,
    keepLast: s?.keepLast != null ? String(s.keepLast) : "",
    keepDays: s?.keepDays != null ? String(s.keepDays) : "",
    drillCron: s?.drillCron ?? "",
    enabled: s?.enabled ?? true,
  });
  const set = (patch: Partial<typeof values>) => setValues((v) => ({ ...v, ...patch }));
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const text = (name: "cron" | "keepLast" | "keepDays" | "drillCron", label: string, placeholder?: string) => (
    <div className="space-y-1.5">
      <Label htmlFor={`schedule-${name}`}>{label}</Label>
      <Input id={`schedule-${name}`} name={name} value={values[name]} onChange={(e) => set({ [name]: e.target.value })} placeholder={placeholder} autoComplete="off" aria-invalid={!!errors?.[name]} aria-describedby={`schedule-${name}-error`} />
      <FieldError id={`schedule-${name}-error`} errors={errors?.[name]} />
    </div>
  );
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="collectionId" value={collection.collectionId} />
      {text("cron", "Back up on (cron)")}
      <div className="space-y-1.5">
        <Label htmlFor="schedule-kind">Kind</Label>
        <Select id="schedule-kind" name="kind" value={values.kind} onChange={(e) => set({ kind: e.target.value as typeof values.kind })}>
          <option value="full">Full</option>
          <option value="schema">Schema only</option>
        </Select>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="vectors" checked={values.vectors} onChange={(e) => set({ vectors: e.target.checked })} /> Include vectors (without them a restore re-embeds)
      </label>
      {text("keepLast", "Keep the last N backups", "empty: no count rule")}
      {text("keepDays", "Keep backups younger than N days", "empty: no age rule")}
      {text("drillCron", "Restore drill on (cron, optional)", "e.g. 0 5 * * 0")}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" checked={values.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
      </label>
      {state && !state.ok && state.formError && (
        <Alert variant="destructive">
          <AlertDescription>{state.formError}</AlertDescription>
        </Alert>
      )}
      {state?.ok && (
        <Alert variant="success">
          <AlertDescription>Saved.</AlertDescription>
        </Alert>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save schedule"}
      </Button>
    </form>
  );
}

function DeleteScheduleButton({ scheduleId, name }: { scheduleId: string; name: string }) {
  const [state, action] = useActionState(deleteScheduleAction, null);
  return (
    <form action={action} className="contents">
      <input type="hidden" name="scheduleId" value={scheduleId} />
      <ConfirmButton variant="ghost" size="sm" title={`Remove the backup schedule of ${name}?`} description="No more backups or drills are started for it. Its backups are kept." confirmLabel="Remove schedule">
        Remove
      </ConfirmButton>
      {state && !state.ok && <span className="text-xs text-destructive">{state.formError}</span>}
    </form>
  );
}
