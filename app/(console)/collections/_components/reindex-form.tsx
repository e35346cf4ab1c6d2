"use client";

import { useQuery } from "@tanstack/react-query";
import { startTransition, useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useDebounced } from "@/components/ui/use-debounced";
import { ApiError, reindexPreviewQuery, type ReindexDraft } from "@/lib/query/reindex";
import { startReindexAction } from "../actions";
import { ConfirmNameField } from "./confirm-name-field";
import { Field, otherErrors, useRememberedAction } from "./form-fields";
import { ReindexPreviewPanel } from "./reindex-preview";

export type ReindexTarget = { id: string; name: string; embeddingModel: string; chunkSize: number; chunkOverlap: number; distance: string };

/** Form field → the key the verb puts its errors (and the dry run its refusals) under. */
const ERROR_KEYS = {
  embeddingModel: "settings.embeddingModel",
  chunkSize: "settings.chunkSize",
  chunkOverlap: "settings.chunkOverlap",
  distance: "settings.distance",
  throttleDocsPerS: "throttleDocsPerS",
  requireApproval: "requireApproval",
  confirmName: "confirm",
} as const;
type FormField = keyof typeof ERROR_KEYS;
/** Keys shown somewhere other than the alert on top: on a field, or beside the diff. */
const SHOWN = [...Object.values(ERROR_KEYS), "settings", "_form"];

const DISTANCES = [
  { value: "cosine", label: "cosine" },
  { value: "dot", label: "dot (inner product)" },
  { value: "euclid", label: "euclid (L2)" },
];

const DEBOUNCE_MS = 400;

/**
 * The only way to change a collection's embedding or chunking: a blue-green REINDEX. As the operator
 * edits, the dry run shows the diff, the estimate and any refusal; the start waits for the typed name.
 */
export function ReindexForm({ collection }: { collection: ReindexTarget }) {
  const [draft, setDraft] = useState<ReindexDraft>({
    settings: { embeddingModel: collection.embeddingModel, chunkSize: String(collection.chunkSize), chunkOverlap: String(collection.chunkOverlap), distance: collection.distance },
    throttleDocsPerS: "",
  });
  const [requireApproval, setRequireApproval] = useState(false);
  const [typed, setTyped] = useState("");
  const settled = useDebounced(draft, DEBOUNCE_MS);
  const preview = useQuery(reindexPreviewQuery(collection.id, settled));
  const [{ result, values: sent }, action, pending] = useRememberedAction(startReindexAction);

  const current: Record<FormField, string> = { ...draft.settings, throttleDocsPerS: draft.throttleDocsPerS, requireApproval: requireApproval ? "true" : "", confirmName: typed };
  const sentValue = (field: FormField) => (field === "requireApproval" ? (sent.requireApproval === "on" ? "true" : "") : (sent[field] ?? ""));
  const submitErrors = result && !result.ok ? result.fieldErrors : undefined;
  const previewErrors = preview.error instanceof ApiError ? preview.error.fieldErrors : undefined;
  const refusals = preview.data?.refusals ?? {};
  // A refusal of the start stays on its field until that field changes; the dry run's answers follow the fields.
  const errorsFor = (field: FormField) => {
    const key = ERROR_KEYS[field];
    const messages = [...(previewErrors?.[key] ?? []), ...(refusals[key] ?? []), ...(current[field] === sentValue(field) ? (submitErrors?.[key] ?? []) : [])];
    return messages.length ? [...new Set(messages)] : undefined;
  };
  const set = (key: keyof ReindexDraft["settings"]) => (value: string) => setDraft((d) => ({ ...d, settings: { ...d.settings, [key]: value } }));

  const fresh = preview.isSuccess && !preview.isPlaceholderData && JSON.stringify(settled) === JSON.stringify(draft);
  const formRefusals = [...(refusals._form ?? []), ...otherErrors(refusals, SHOWN)];
  const topErrors = [result && !result.ok ? result.formError : undefined, ...otherErrors(submitErrors, SHOWN), ...otherErrors(previewErrors, SHOWN)].filter((m): m is string => !!m);
  const blocked = blockedBecause({ error: preview.error, fresh, changes: preview.data?.diff.length ?? null, refused: formRefusals.length > 0, fieldRefused: Object.keys(refusals).some((k) => k !== "_form") });

  // Dispatched by hand, not as the form's action: React resets a form after its action, and a reset
  // <select> would show another value than the state it is controlled by.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => action(form));
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Reindex collection" className="grid gap-4 lg:grid-cols-2">
      <input type="hidden" name="collectionId" value={collection.id} />
      {topErrors.length > 0 && (
        <Alert variant="destructive" className="lg:col-span-2">
          <AlertDescription>
            {[...new Set(topErrors)].map((m) => (
              <p key={m}>{m}</p>
            ))}
          </AlertDescription>
        </Alert>
      )}
      <Card>
        <CardHeader>
          <CardTitle as="h2">New settings</CardTitle>
          <CardDescription>Prefilled with the live version&apos;s settings. Change what the new version should be built with.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <Field id="r-model" label="Embedding model" errors={errorsFor("embeddingModel")} hint="builtin-hash-<dimension> runs locally with no service; openai:<model> needs the embedding endpoint configured.">
            {(p) => <Input {...p} name="embeddingModel" value={draft.settings.embeddingModel} onChange={(e) => set("embeddingModel")(e.target.value)} autoComplete="off" className="font-mono" />}
          </Field>
          <Field id="r-distance" label="Distance" errors={errorsFor("distance")} hint="How the vector store compares a query with the points.">
            {(p) => (
              <Select {...p} name="distance" value={draft.settings.distance} onChange={(e) => set("distance")(e.target.value)}>
                {DISTANCES.map((d) => (
                  <option key={d.value} value={d.value}>
                    {d.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <div className="grid grid-cols-2 gap-4">
            <Field id="r-chunk-size" label="Chunk size" errors={errorsFor("chunkSize")} hint="Characters, 100–20,000.">
              {(p) => <Input {...p} name="chunkSize" type="number" inputMode="numeric" min={100} max={20000} value={draft.settings.chunkSize} onChange={(e) => set("chunkSize")(e.target.value)} />}
            </Field>
            <Field id="r-chunk-overlap" label="Chunk overlap" errors={errorsFor("chunkOverlap")} hint="Characters, less than the size.">
              {(p) => <Input {...p} name="chunkOverlap" type="number" inputMode="numeric" min={0} max={5000} value={draft.settings.chunkOverlap} onChange={(e) => set("chunkOverlap")(e.target.value)} />}
            </Field>
          </div>
          <Field id="r-throttle" label="Throttle (documents/s, optional)" errors={errorsFor("throttleDocsPerS")} hint="At most this many documents a second, to spare the embedder or the disk; empty for no limit.">
            {(p) => (
              <Input {...p} name="throttleDocsPerS" type="number" inputMode="decimal" min={1} value={draft.throttleDocsPerS} onChange={(e) => setDraft((d) => ({ ...d, throttleDocsPerS: e.target.value }))} placeholder="no limit" />
            )}
          </Field>
        </CardContent>
      </Card>
      <ReindexPreviewPanel preview={preview.data} error={preview.error} updating={!fresh && !preview.isError} throttle={settled.throttleDocsPerS} noChange={submitErrors?.settings} />
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle as="h2">Start the reindex</CardTitle>
          <CardDescription>
            A new version is built beside the live one; searches keep using the live version until the new one passes validation and the alias switches. The old version is kept
            for a rollback.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid max-w-2xl gap-4">
          {formRefusals.length > 0 && (
            <Alert variant="destructive" aria-label="Why this reindex cannot start">
              <AlertDescription>
                <p className="font-medium">A start would be refused:</p>
                {formRefusals.map((m) => (
                  <p key={m}>{m}</p>
                ))}
              </AlertDescription>
            </Alert>
          )}
          <div className="space-y-1.5">
            <label className="flex items-center gap-2 text-sm font-medium">
              <input type="checkbox" name="requireApproval" checked={requireApproval} onChange={(e) => setRequireApproval(e.target.checked)} aria-describedby="r-approval-hint" />
              Require approval before the switch
            </label>
            <p id="r-approval-hint" className="text-xs text-muted-foreground">
              After validation the operation waits until an operator approves or rejects the switch on the operation page, with the validation report in front of them.
            </p>
          </div>
          <ConfirmNameField id="r-confirm" name={collection.name} value={typed} onChange={setTyped} errors={errorsFor("confirmName")} />
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={pending || blocked !== null} aria-describedby="r-blocked">
              {pending ? "Starting…" : "Start reindex"}
            </Button>
            {blocked && (
              <p id="r-blocked" className="text-sm text-muted-foreground" role="status">
                {blocked}
              </p>
            )}
          </div>
        </CardContent>
      </Card>
    </form>
  );
}

/** Why the start button is disabled, or null when it may be pressed (the verb still checks everything). */
function blockedBecause(s: { error: Error | null; fresh: boolean; changes: number | null; refused: boolean; fieldRefused: boolean }): string | null {
  if (s.error) return s.error instanceof ApiError && s.error.code === "invalid" ? "Fix the marked fields first." : "The estimate could not be made, so the start is held back.";
  if (!s.fresh) return "Updating the estimate…";
  // Before the refusals: the dry run refuses unchanged settings too, under `settings`.
  if (s.changes === 0) return "These are the current settings: change at least one to reindex.";
  if (s.refused) return "Cannot start: see the refusal above.";
  if (s.fieldRefused) return "Cannot start: see the marked fields.";
  return null;
}
