"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { alertMessages, Field } from "./form-fields";
import { UploadStarted, type Refusal } from "./upload-started";
import { formErrorOf, type FieldedError } from "@/lib/form-errors";
import { FormErrors } from "@/components/forms/form-errors";

type Outcome = { ok: true; operationId: string; refused: Refusal[] } | { ok: false; message?: string; fieldErrors: Record<string, string[]> };

const FIELD_KEYS = ["files", "sourceName"] as const;

/** Browser uploads: several files into an upload source, indexed by an APPEND; refusals listed per file, errors by field. */
export function UploadForm({ collectionId }: { collectionId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const response = await fetch(`/api/v1/collections/${collectionId}/uploads`, { method: "POST", body: new FormData(event.currentTarget) }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { data?: { operationId: string; refused: Refusal[] }; error?: FieldedError } | null;
    setPending(false);
    if (response?.ok && body?.data) {
      setOutcome({ ok: true, ...body.data });
      if (body.data.refused.length === 0) router.push(`/operations/${body.data.operationId}`);
      return;
    }
    setOutcome({ ok: false, message: body?.error ? formErrorOf(body.error) : "The upload failed. Try again.", fieldErrors: body?.error?.fieldErrors ?? {} });
  }

  const errors = outcome && !outcome.ok ? outcome.fieldErrors : undefined;
  const messages = outcome && !outcome.ok ? alertMessages(outcome.message, errors, FIELD_KEYS) : [];

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Upload files" className="mt-4 rounded-lg border p-4">
      <h3 className="mb-3 text-sm font-semibold">Upload files</h3>
      <FormErrors messages={messages} className="mb-3" />
      {outcome?.ok && (
        <UploadStarted done="Uploaded" operationId={outcome.operationId} refused={outcome.refused} className="mb-3" />
      )}
      <div className="grid gap-4 md:grid-cols-[2fr_1fr_auto] md:items-end">
        <Field id="upload-files" label="Files (.txt .md .html .pdf .docx .json .csv, or any of them as .gz)" errors={errors?.files}>
          {(p) => <Input {...p} name="files" type="file" multiple required />}
        </Field>
        <Field id="upload-source" label="Upload source name" errors={errors?.sourceName}>
          {(p) => <Input {...p} name="sourceName" defaultValue="uploads" />}
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? "Uploading…" : "Upload and index"}
        </Button>
      </div>
    </form>
  );
}
