"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { appendSourceAction } from "../actions";
import { alertMessages, Field, useRememberedAction } from "./form-fields";
import { FormErrors } from "@/components/forms/form-errors";

const FIELD_KEYS = ["source.name", "source.path", "path"];

/** A new folder for this collection: indexed by an APPEND operation. */
export function AddSourceForm({ collectionId }: { collectionId: string }) {
  const [{ result, values }, action, pending] = useRememberedAction(appendSourceAction);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const formErrors = result && !result.ok ? alertMessages(result.formError, errors, FIELD_KEYS) : [];
  return (
    <form action={action} noValidate aria-label="Add a source" className="mt-4 rounded-lg border p-4">
      <h3 className="mb-3 text-sm font-semibold">Add a source</h3>
      <input type="hidden" name="collectionId" value={collectionId} />
      <FormErrors messages={formErrors} className="mb-3" />
      <div className="grid gap-4 md:grid-cols-[1fr_2fr_auto] md:items-start">
        <Field id="add-source-name" label="Source name" errors={errors?.["source.name"]}>
          {(p) => <Input {...p} name="sourceName" defaultValue={values.sourceName ?? ""} autoComplete="off" />}
        </Field>
        <Field id="add-source-path" label="Folder path" errors={[...(errors?.["source.path"] ?? []), ...(errors?.path ?? [])]} hint="Absolute path on the server, under the allowed source roots.">
          {(p) => <Input {...p} name="sourcePath" defaultValue={values.sourcePath ?? ""} autoComplete="off" className="font-mono" />}
        </Field>
        <Button type="submit" disabled={pending} className="md:mt-6">
          {pending ? "Adding…" : "Add source"}
        </Button>
      </div>
    </form>
  );
}
