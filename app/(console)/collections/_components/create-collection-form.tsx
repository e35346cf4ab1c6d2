"use client";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { createCollectionAction } from "../actions";
import { Field, otherErrors, useRememberedAction } from "./form-fields";

/** Service error keys shown under a field here; anything else goes to the alert on top. */
const FIELD_KEYS = ["name", "description", "embeddingModel", "chunkSize", "chunkOverlap", "source.name", "source.path", "path"];

export function CreateCollectionForm({ sourceRoots }: { sourceRoots: string[] }) {
  const [{ result, values }, action, pending] = useRememberedAction(createCollectionAction);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const formErrors = result && !result.ok ? [result.formError, ...otherErrors(errors, FIELD_KEYS)].filter((m): m is string => !!m) : [];
  const value = (name: string, fallback = "") => values[name] ?? fallback;

  return (
    <form action={action} noValidate className="grid gap-4 md:grid-cols-2" aria-label="Create collection">
      {formErrors.length > 0 && (
        <Alert variant="destructive" className="md:col-span-2">
          <AlertDescription>
            {formErrors.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </AlertDescription>
        </Alert>
      )}
      {sourceRoots.length === 0 && (
        <Alert variant="destructive" className="md:col-span-2">
          <AlertDescription>Directory sources are disabled on this server: an admin must set STEVEDORE_SOURCE_ROOTS to the folders they may come from.</AlertDescription>
        </Alert>
      )}
      <Field id="c-name" label="Collection name" errors={errors?.name} hint="1–63 lower-case letters, digits, - or _; also the name in the vector store.">
        {(p) => <Input {...p} name="name" defaultValue={value("name")} autoComplete="off" />}
      </Field>
      <Field id="c-description" label="Description" errors={errors?.description} hint="Optional.">
        {(p) => <Textarea {...p} name="description" rows={1} defaultValue={value("description")} />}
      </Field>
      <Field id="c-source-name" label="Source name" errors={errors?.["source.name"]} hint="A short name for the first folder, e.g. handbook.">
        {(p) => <Input {...p} name="sourceName" defaultValue={value("sourceName")} autoComplete="off" />}
      </Field>
      <Field
        id="c-source-path"
        label="Source folder path"
        errors={[...(errors?.["source.path"] ?? []), ...(errors?.path ?? [])]}
        hint={`An absolute path on the server; it must be under the server's allowed source roots${sourceRoots.length ? ` (${sourceRoots.join(", ")})` : ""}.`}
      >
        {(p) => <Input {...p} name="sourcePath" defaultValue={value("sourcePath")} placeholder={sourceRoots[0] ? `${sourceRoots[0]}/docs` : "/srv/docs"} autoComplete="off" className="font-mono" />}
      </Field>
      <Field id="c-model" label="Embedding model" errors={errors?.embeddingModel} hint="builtin-hash-384 runs locally with no service; builtin-hash-<dimension> or openai:<model> are the alternatives.">
        {(p) => <Input {...p} name="embeddingModel" defaultValue={value("embeddingModel", "builtin-hash-384")} autoComplete="off" className="font-mono" />}
      </Field>
      <div className="grid grid-cols-2 gap-4">
        <Field id="c-chunk-size" label="Chunk size" errors={errors?.chunkSize} hint="Characters, 100–20,000.">
          {(p) => <Input {...p} name="chunkSize" type="number" min={100} max={20000} defaultValue={value("chunkSize", "1200")} />}
        </Field>
        <Field id="c-chunk-overlap" label="Chunk overlap" errors={errors?.chunkOverlap} hint="Characters, less than the size.">
          {(p) => <Input {...p} name="chunkOverlap" type="number" min={0} max={5000} defaultValue={value("chunkOverlap", "150")} />}
        </Field>
      </div>
      <div className="md:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create collection"}
        </Button>
      </div>
    </form>
  );
}
