"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { UploadStarted, type Refusal } from "./upload-started";

type Outcome = { ok: true; operationId: string; refused: Refusal[] } | { ok: false; messages: string[] };

/** Browser uploads: several files into an upload source, indexed by an APPEND; refusals listed per file. */
export function UploadForm({ collectionId }: { collectionId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const response = await fetch(`/api/v1/collections/${collectionId}/uploads`, { method: "POST", body: new FormData(event.currentTarget) }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { data?: { operationId: string; refused: Refusal[] }; error?: { message: string; fieldErrors?: Record<string, string[]> } } | null;
    setPending(false);
    if (response?.ok && body?.data) {
      setOutcome({ ok: true, ...body.data });
      if (body.data.refused.length === 0) router.push(`/operations/${body.data.operationId}`);
      return;
    }
    const details = Object.values(body?.error?.fieldErrors ?? {}).flat();
    setOutcome({ ok: false, messages: [body?.error?.message ?? "The upload failed. Try again.", ...details] });
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Upload files" className="mt-4 rounded-lg border p-4">
      <h3 className="mb-3 text-sm font-semibold">Upload files</h3>
      {outcome && !outcome.ok && (
        <Alert variant="destructive" className="mb-3">
          <AlertDescription>
            {outcome.messages.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </AlertDescription>
        </Alert>
      )}
      {outcome?.ok && (
        <UploadStarted done="Uploaded" operationId={outcome.operationId} refused={outcome.refused} className="mb-3" />
      )}
      <div className="grid gap-4 md:grid-cols-[2fr_1fr_auto] md:items-end">
        <div className="space-y-1.5">
          <Label htmlFor="upload-files">Files (.txt .md .html .pdf .docx .json .csv)</Label>
          <Input id="upload-files" name="files" type="file" multiple required />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="upload-source">Upload source name</Label>
          <Input id="upload-source" name="sourceName" defaultValue="uploads" />
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Uploading…" : "Upload and index"}
        </Button>
      </div>
    </form>
  );
}
