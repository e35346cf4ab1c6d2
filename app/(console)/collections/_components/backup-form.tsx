"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { formatBytes, formatCount, formatDuration } from "@/lib/format";
import { estimateBackupAction, startBackupAction } from "../[id]/backups/actions";

/** BACKUP: what to include, an estimate before it starts (points, size, time, disk), then the operation. */
export function BackupForm({ collectionId, sources }: { collectionId: string; sources: string[] }) {
  const [estimate, estimateAction, estimating] = useActionState(estimateBackupAction, null);
  const [started, startAction, starting] = useActionState(startBackupAction, null);
  const [kind, setKind] = useState<"full" | "schema">("full");
  const [allSources, setAllSources] = useState(true);
  // Controlled, because React resets a form after each action: an estimate must not wipe what was typed.
  const [vectors, setVectors] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const [note, setNote] = useState("");
  const [rate, setRate] = useState("");
  const failed = (started && !started.ok ? started : null) ?? (estimate && !estimate.ok ? estimate : null);
  const errors = failed?.fieldErrors;
  const plan = estimate?.ok ? estimate.data : null;
  return (
    <form action={startAction} className="space-y-4">
      <input type="hidden" name="collectionId" value={collectionId} />
      {failed?.formError && (
        <Alert variant="destructive">
          <AlertDescription>{failed.formError}</AlertDescription>
        </Alert>
      )}
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium">What to back up</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="kind" value="full" checked={kind === "full"} onChange={() => setKind("full")} /> Full: settings, documents&apos; metadata and every point
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="kind" value="schema" checked={kind === "schema"} onChange={() => setKind("schema")} /> Schema only: settings, sources, documents&apos; metadata, golden queries
        </label>
      </fieldset>
      {kind === "full" && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="vectors" value="true" checked={vectors} onChange={(e) => setVectors(e.target.checked)} /> Include vectors (without them the file is smaller and a restore re-embeds each chunk&apos;s text)
        </label>
      )}
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium">Sources</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="allSources" checked={allSources} onChange={(e) => setAllSources(e.target.checked)} /> All sources
        </label>
        {!allSources &&
          sources.map((name) => (
            <label key={name} className="ml-5 flex items-center gap-2 text-sm">
              <input type="checkbox" name="sources" value={name} checked={chosen.includes(name)} onChange={(e) => setChosen(e.target.checked ? [...chosen, name] : chosen.filter((n) => n !== name))} /> <span className="font-mono">{name}</span>
            </label>
          ))}
        <FieldError id="backup-sources-error" errors={errors?.sources} />
      </fieldset>
      <div className="space-y-1.5">
        <Label htmlFor="backup-note">Note</Label>
        <Textarea id="backup-note" name="note" value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} placeholder="Why this backup, e.g. “before the model change”" aria-invalid={!!errors?.note} aria-describedby="backup-note-error" />
        <FieldError id="backup-note-error" errors={errors?.note} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="backup-rate" className="block">
          Rate limit (MB/s, optional)
        </Label>
        <Input id="backup-rate" name="rateLimitMBps" value={rate} onChange={(e) => setRate(e.target.value)} inputMode="decimal" className="h-9 max-w-40" aria-invalid={!!errors?.rateLimitMBps} aria-describedby="backup-rate-error" />
        <FieldError id="backup-rate-error" errors={errors?.rateLimitMBps} />
      </div>
      {plan && (
        <div className="rounded-md border p-3 text-sm" aria-label="Backup estimate">
          {plan.estimate.points === 0 ? (
            <p>No points to write: the file holds the manifest alone.</p>
          ) : (
            <p>
              About {formatCount(plan.estimate.points)} points, {formatBytes(plan.estimate.bytes)} compressed, taking {plan.estimate.seconds === null ? "an unknown time" : formatDuration(plan.estimate.seconds * 1000)}
              {plan.estimate.basis === "past backups" ? " at the rate of this collection's last backups" : " (from a sample written the same way)"}.
            </p>
          )}
          {!plan.disk.ok && <p className="mt-1 text-destructive">{plan.disk.message}</p>}
        </div>
      )}
      <div className="flex gap-2">
        <Button type="submit" variant="outline" formAction={estimateAction} disabled={estimating || starting}>
          {estimating ? "Estimating…" : "Estimate"}
        </Button>
        <Button type="submit" disabled={starting}>
          {starting ? "Starting…" : "Back up"}
        </Button>
      </div>
    </form>
  );
}
