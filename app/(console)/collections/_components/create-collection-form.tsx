"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { createCollectionAction } from "../actions";
import { alertMessages, Field, useRememberedAction } from "./form-fields";
import { UploadStarted, type Refusal } from "./upload-started";
import { formErrorOf, type FieldedError } from "@/lib/form-errors";
import { FormErrors } from "@/components/forms/form-errors";

/** Service error keys shown under a field here; anything else goes to the alert on top. */
const LAYOUT_KEYS = ["hnswM", "hnswEfConstruct", "shardNumber", "replicationFactor"] as const;
const FIELD_KEYS = ["name", "description", "embeddingModel", "chunkSize", "chunkOverlap", "source.name", "source.path", "path", "files", ...LAYOUT_KEYS.map((k) => `vectorLayout.${k}`)];
const LAYOUT_FIELDS: Record<(typeof LAYOUT_KEYS)[number], { label: string; hint: string; min: number; max: number }> = {
  hnswM: { label: "HNSW m", hint: "Links per node, 0–128 (0 builds no graph). Server default 16.", min: 0, max: 128 },
  hnswEfConstruct: { label: "HNSW ef_construct", hint: "Build-time search width, 4–4096. Server default 100.", min: 4, max: 4096 },
  shardNumber: { label: "Shards", hint: "1–256. Server default: 1 on one node, else one per node.", min: 1, max: 256 },
  replicationFactor: { label: "Replication factor", hint: "Copies of each shard, 1–16. Server default 1.", min: 1, max: 16 },
};

type Uploaded = { formError?: string; fieldErrors?: Record<string, string[]>; values: Record<string, string>; started?: { operationId: string; refused: Refusal[] } };

/**
 * The first source is a server folder (the form's server action) or files from this browser,
 * which go to the REST API as multipart/form-data: a server action's body is too small for them.
 */
export function CreateCollectionForm({ sourceRoots, vectorBackend }: { sourceRoots: string[]; vectorBackend: "lancedb" | "qdrant" }) {
  const router = useRouter();
  const [kind, setKind] = useState<"directory" | "upload">(sourceRoots.length ? "directory" : "upload");
  const [{ result, values: sent }, action, actionPending] = useRememberedAction(createCollectionAction);
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [uploading, setUploading] = useState(false);
  const pending = actionPending || uploading;
  const errors = kind === "upload" ? uploaded?.fieldErrors : result && !result.ok ? result.fieldErrors : undefined;
  const formError = kind === "upload" ? uploaded?.formError : result && !result.ok ? result.formError : undefined;
  const formErrors = alertMessages(formError, errors, FIELD_KEYS);
  const values = kind === "upload" ? (uploaded?.values ?? {}) : sent;
  const value = (name: string, fallback = "") => values[name] ?? fallback;

  async function upload(event: FormEvent<HTMLFormElement>) {
    if (kind !== "upload") return; // the folder form goes to its server action
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const typed = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string"));
    setUploading(true);
    const response = await fetch("/api/v1/collections", { method: "POST", body: form }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { data?: { operationId: string; refused: Refusal[] }; error?: FieldedError } | null;
    setUploading(false);
    if (response?.ok && body?.data) {
      if (body.data.refused.length === 0) router.push(`/operations/${body.data.operationId}`);
      setUploaded({ values: typed, started: body.data });
      return;
    }
    setUploaded({ values: typed, formError: body?.error ? formErrorOf(body.error) : "The upload failed. Try again.", fieldErrors: body?.error?.fieldErrors });
  }

  return (
    <form action={action} onSubmit={(e) => void upload(e)} noValidate className="grid gap-4 md:grid-cols-2" aria-label="Create collection">
      <FormErrors messages={formErrors} className="md:col-span-2" />
      {uploaded?.started && (
        <UploadStarted done="Created" operationId={uploaded.started.operationId} refused={uploaded.started.refused} className="md:col-span-2" />
      )}
      <fieldset className="md:col-span-2">
        <legend className="mb-1.5 text-sm font-medium">First source</legend>
        <div className="flex gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="sourceKind" value="directory" checked={kind === "directory"} onChange={() => setKind("directory")} />A folder on the server
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="sourceKind" value="upload" checked={kind === "upload"} onChange={() => setKind("upload")} />
            Files from this computer
          </label>
        </div>
      </fieldset>
      {kind === "directory" && sourceRoots.length === 0 && (
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
      <Field id="c-source-name" label="Source name" errors={errors?.["source.name"]} hint={kind === "directory" ? "A short name for the first folder, e.g. handbook." : "A short name for these files, e.g. uploads."}>
        {(p) => <Input {...p} name="sourceName" defaultValue={value("sourceName", kind === "upload" ? "uploads" : "")} autoComplete="off" />}
      </Field>
      {kind === "directory" ? (
        <Field
          id="c-source-path"
          label="Source folder path"
          errors={[...(errors?.["source.path"] ?? []), ...(errors?.path ?? [])]}
          hint={`An absolute path on the server; it must be under the server's allowed source roots${sourceRoots.length ? ` (${sourceRoots.join(", ")})` : ""}.`}
        >
          {(p) => <Input {...p} name="sourcePath" defaultValue={value("sourcePath")} placeholder={sourceRoots[0] ? `${sourceRoots[0]}/docs` : "/srv/docs"} autoComplete="off" className="font-mono" />}
        </Field>
      ) : (
        <Field id="c-files" label="Files" errors={errors?.files} hint="Several at once: .txt .md .html .pdf .docx .json .csv, any of them as .gz, or plain text without an extension.">
          {(p) => <Input {...p} name="files" type="file" multiple />}
        </Field>
      )}
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
      <details className="rounded-md border px-4 py-3 md:col-span-2" open={LAYOUT_KEYS.some((k) => errors?.[`vectorLayout.${k}`])}>
        <summary className="cursor-pointer text-sm font-medium">Qdrant layout (optional)</summary>
        <p className="mt-2 text-xs text-muted-foreground">
          {vectorBackend === "qdrant"
            ? "Every version of this collection is created in Qdrant with these; a field left empty takes the server's default. They cannot be changed later."
            : "These apply only with Qdrant (VECTOR_STORE=qdrant). This console stores vectors in LanceDB, which has no shards, replicas or HNSW parameters: they would be kept, and not used."}
        </p>
        <div className="mt-3 grid gap-4 md:grid-cols-2">
          <label className="flex items-center gap-2 text-sm md:col-span-2">
            <input type="checkbox" name="vectorsOnDisk" defaultChecked={value("vectorsOnDisk") === "on"} /> Keep vectors on disk (server default: in memory)
          </label>
          {LAYOUT_KEYS.map((key) => (
            <Field key={key} id={`c-${key}`} label={LAYOUT_FIELDS[key].label} errors={errors?.[`vectorLayout.${key}`]} hint={LAYOUT_FIELDS[key].hint}>
              {(p) => <Input {...p} name={key} type="number" min={LAYOUT_FIELDS[key].min} max={LAYOUT_FIELDS[key].max} defaultValue={value(key)} />}
            </Field>
          ))}
        </div>
      </details>
      <div className="md:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create collection"}
        </Button>
      </div>
    </form>
  );
}
