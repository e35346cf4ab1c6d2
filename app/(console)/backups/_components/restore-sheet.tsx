"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Sheet } from "@/components/ui/sheet";
import { formatCount, formatUtc } from "@/lib/format";
import { restoreBackupAction } from "../actions";
import type { BackupListItem } from "./backup-queries";

type Collections = { id: string; name: string }[];

export function RestoreButton({ backup, collections }: { backup: BackupListItem; collections: Collections }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        Restore
      </Button>
      <Sheet open={open} onOpenChange={setOpen} title={`Restore backup of ${backup.collectionName}`} description={`Taken ${formatUtc(backup.createdAt)}, ${formatCount(backup.pointCount ?? 0)} points. The file's checksum is proven before anything live changes.`}>
        {open && <RestoreForm backup={backup} collections={collections} />}
      </Sheet>
    </>
  );
}

/** "Check" runs the dry run and shows its report on the right fields; "Restore" starts it. */
function RestoreForm({ backup, collections }: { backup: BackupListItem; collections: Collections }) {
  const [state, action, pending] = useActionState(restoreBackupAction, null);
  const [mode, setMode] = useState<"new" | "replace" | "merge">("new");
  const [targetId, setTargetId] = useState(backup.collectionId ?? collections[0]?.id ?? "");
  // Controlled: React resets a form's uncontrolled fields after each action, and Check is one.
  const [into, setInto] = useState(`${backup.collectionName}-restored`.slice(0, 63));
  const [onConflict, setOnConflict] = useState("skip");
  const [confirm, setConfirm] = useState("");
  const report = state?.ok ? state.data.report : null;
  // The report's refusals are what a start would refuse: shown on their fields like a start's own.
  const errors = state && !state.ok ? state.fieldErrors : report?.refusals;
  const target = collections.find((c) => c.id === targetId);
  const field = (name: string) => ({ "aria-invalid": !!errors?.[name], "aria-describedby": `restore-${name}-error` });
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="backupId" value={backup.id} />
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium">Restore into</legend>
        {(["new", "replace", "merge"] as const).map((m) => (
          <label key={m} className="flex items-center gap-2 text-sm">
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {m === "new" ? "A new collection" : m === "replace" ? "Replace an existing collection (switches atomically, old version kept for the rollback window)" : "Merge into an existing collection"}
          </label>
        ))}
        <FieldError id="restore-mode-error" errors={errors?.mode} />
      </fieldset>
      {mode === "new" ? (
        <div className="space-y-1.5">
          <Label htmlFor="restore-into">New collection name</Label>
          <Input id="restore-into" name="into" value={into} onChange={(e) => setInto(e.target.value)} autoComplete="off" {...field("into")} />
          <FieldError id="restore-into-error" errors={errors?.into} />
        </div>
      ) : (
        <>
          <div className="space-y-1.5">
            <Label htmlFor="restore-collection">Collection</Label>
            <Select id="restore-collection" name="collectionId" value={targetId} onChange={(e) => setTargetId(e.target.value)} {...field("collectionId")}>
              {collections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
            <FieldError id="restore-collectionId-error" errors={errors?.collectionId} />
          </div>
          {mode === "merge" && (
            <div className="space-y-1.5">
              <Label htmlFor="restore-conflict">A document already there</Label>
              <Select id="restore-conflict" name="onConflict" value={onConflict} onChange={(e) => setOnConflict(e.target.value)}>
                <option value="skip">Skip it (keep what is there)</option>
                <option value="overwrite">Overwrite it with the backup&apos;s</option>
              </Select>
            </div>
          )}
          {mode === "replace" && (
            <div className="space-y-1.5">
              <Label htmlFor="restore-confirm">
                Type <span className="font-mono">{target?.name}</span> to confirm
              </Label>
              <Input id="restore-confirm" name="confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" {...field("confirm")} />
              <FieldError id="restore-confirm-error" errors={errors?.confirm} />
            </div>
          )}
        </>
      )}
      <FieldError id="restore-backupId-error" errors={errors?.backupId} />
      {state && !state.ok && state.formError && (
        <Alert variant="destructive">
          <AlertDescription>{state.formError}</AlertDescription>
        </Alert>
      )}
      {report && (
        <div className="space-y-2 rounded-md border p-3 text-sm" data-testid="restore-report">
          <p className="font-medium">
            Check: {formatCount(report.backup.points)} points, {formatCount(report.backup.documents)} documents, {formatCount(report.backup.sources)} sources ({report.backup.vectors ? "with vectors" : "re-embedded from text"}) into {report.target.name || "—"}
          </p>
          <ul className="space-y-0.5">
            {report.checks.map((c) => (
              <li key={c.check} className={c.ok ? "" : "text-destructive"}>
                {c.ok ? "✓" : "✗"} {c.check}: {c.detail}
              </li>
            ))}
          </ul>
          {report.conflicts && (
            <p>
              {formatCount(report.conflicts.documents)} document(s) already there: {report.conflicts.policy === "skip" ? "skipped" : "overwritten"}.
            </p>
          )}
          <p className={Object.keys(report.refusals).length ? "text-destructive" : "text-success"}>{Object.keys(report.refusals).length ? "A restore would be refused: see the fields above." : "Nothing stands in the way."}</p>
        </div>
      )}
      <div className="flex gap-2">
        <Button type="submit" name="intent" value="check" variant="outline" disabled={pending}>
          Check
        </Button>
        <Button type="submit" name="intent" value="restore" disabled={pending}>
          {pending ? "Working…" : "Restore"}
        </Button>
      </div>
    </form>
  );
}
