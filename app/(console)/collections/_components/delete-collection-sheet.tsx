"use client";

import { useActionState, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Sheet } from "@/components/ui/sheet";
import { ConfirmNameField } from "./confirm-name-field";
import { formatCount } from "@/lib/format";
import { deleteCollectionAction } from "../actions";

/** Admin only, and destructive: the admin types the collection's name; the button waits for a match. */
export function DeleteCollectionButton({ collection, documents, busy }: { collection: { id: string; name: string }; documents: number; busy: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="destructive" size="sm" onClick={() => setOpen(true)}>
        Delete collection
      </Button>
      <Sheet
        open={open}
        onOpenChange={setOpen}
        title={`Delete collection ${collection.name}`}
        description={`Its points in every version, its ${formatCount(documents)} document(s), its sources and its uploaded files are deleted. Server folders are not touched. Its operations stay in the job history. This cannot be undone.`}
      >
        {open && <DeleteCollectionForm collection={collection} busy={busy} />}
      </Sheet>
    </>
  );
}

function DeleteCollectionForm({ collection, busy }: { collection: { id: string; name: string }; busy: boolean }) {
  const [state, action, pending] = useActionState(deleteCollectionAction, null);
  const [typed, setTyped] = useState("");
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="collectionId" value={collection.id} />
      {busy && (
        <Alert>
          <AlertDescription>An operation is active on this collection: cancel it or wait for it to finish first.</AlertDescription>
        </Alert>
      )}
      {state && !state.ok && state.formError && (
        <Alert variant="destructive">
          <AlertDescription>{state.formError}</AlertDescription>
        </Alert>
      )}
      <ConfirmNameField id="confirm-collection-name" name={collection.name} value={typed} onChange={setTyped} errors={errors?.confirmName} />
      <Button type="submit" variant="destructive" disabled={typed.trim() !== collection.name || pending}>
        {pending ? "Deleting…" : "Delete collection"}
      </Button>
    </form>
  );
}
