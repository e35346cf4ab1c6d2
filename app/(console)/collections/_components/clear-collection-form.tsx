"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/lib/format";
import { ConfirmNameField } from "./confirm-name-field";
import { clearCollectionAction, previewClearAction } from "../[id]/backups/actions";

/** CLEAR (admin): what it removes, counted first; the typed name; a backup first unless the admin turns it off. */
export function ClearCollectionForm({ collectionId, name }: { collectionId: string; name: string }) {
  const [preview, previewAction, counting] = useActionState(previewClearAction, null);
  const [state, action, pending] = useActionState(clearCollectionAction, null);
  const [typed, setTyped] = useState("");
  const [backupFirst, setBackupFirst] = useState(true);
  const failed = (state && !state.ok ? state : null) ?? (preview && !preview.ok ? preview : null);
  const counts = preview?.ok ? preview.data : null;
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="collectionId" value={collectionId} />
      {failed?.formError && (
        <Alert variant="destructive">
          <AlertDescription>{failed.formError}</AlertDescription>
        </Alert>
      )}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="backupFirst" value="true" checked={backupFirst} onChange={(e) => setBackupFirst(e.target.checked)} /> Back up first (the clear runs only once the backup is complete)
      </label>
      {!backupFirst && <p className="text-sm text-destructive">Without a backup there is no way back: the points and documents are gone for good.</p>}
      {counts && (
        <p className="text-sm" aria-label="What the clear removes">
          Removes {formatCount(counts.points)} points and {formatCount(counts.documents)} documents; settings and sources stay.
        </p>
      )}
      <ConfirmNameField id="confirm-clear-name" name={name} value={typed} onChange={setTyped} errors={failed?.fieldErrors?.confirmName} />
      <div className="flex gap-2">
        <Button type="submit" variant="outline" formAction={previewAction} disabled={counting}>
          {counting ? "Counting…" : "Count what it removes"}
        </Button>
        <Button type="submit" variant="destructive" disabled={typed.trim() !== name || pending}>
          {pending ? "Starting…" : "Clear collection"}
        </Button>
      </div>
    </form>
  );
}
