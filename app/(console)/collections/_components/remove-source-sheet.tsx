"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Sheet } from "@/components/ui/sheet";
import { ConfirmNameField } from "./confirm-name-field";
import { removeSourceAction } from "../actions";

type Source = { id: string; name: string; path: string };

/** Destructive, so the operator types the source's name; the button stays disabled until it matches. */
export function RemoveSourceSheet({ collectionId, source, onClose }: { collectionId: string; source: Source | null; onClose: () => void }) {
  return (
    <Sheet
      open={source !== null}
      onOpenChange={(open) => !open && onClose()}
      title={source ? `Remove source ${source.name}` : "Remove source"}
      description="Its documents, chunks and points leave the collection in a REMOVE_SOURCE operation. The files on disk are not touched."
    >
      {source && <RemoveSourceForm key={source.id} collectionId={collectionId} source={source} />}
    </Sheet>
  );
}

function RemoveSourceForm({ collectionId, source }: { collectionId: string; source: Source }) {
  const [state, action, pending] = useActionState(removeSourceAction, null);
  const [typed, setTyped] = useState("");
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const matches = typed.trim() === source.name;
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="collectionId" value={collectionId} />
      <input type="hidden" name="sourceId" value={source.id} />
      <p className="text-sm">
        Folder <span className="break-all font-mono">{source.path}</span>
      </p>
      {state && !state.ok && state.formError && (
        <Alert variant="destructive">
          <AlertDescription>{state.formError}</AlertDescription>
        </Alert>
      )}
      <ConfirmNameField id="confirm-source-name" name={source.name} value={typed} onChange={setTyped} errors={errors?.confirmName} />
      <Button type="submit" variant="destructive" disabled={!matches || pending}>
        {pending ? "Removing…" : "Remove source"}
      </Button>
    </form>
  );
}
