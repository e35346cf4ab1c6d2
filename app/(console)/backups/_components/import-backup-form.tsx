"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

type ApiBody = { data?: { id: string; collectionName: string; pointCount: number }; error?: { message?: string; fieldErrors?: Record<string, string[]> } };

/**
 * Uploads a backup file with fetch and FormData, not a server action: the body streams to the
 * import route, which reads it whole before keeping it; its refusal is shown on the file field.
 */
export function ImportBackupForm() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]> | undefined>();
  const [done, setDone] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setPending(true);
    setErrors(undefined);
    setDone(null);
    try {
      const response = await fetch("/api/v1/backups/import", { method: "POST", body: new FormData(form), headers: { accept: "application/json" } });
      const body = (await response.json().catch(() => null)) as ApiBody | null;
      if (!response.ok || !body?.data) {
        const message = body?.error?.message ?? `The upload failed (${response.status}).`;
        setErrors({ file: [message], ...body?.error?.fieldErrors });
        return;
      }
      setDone(`Imported a backup of ${body.data.collectionName} (${body.data.pointCount} points), verified.`);
      form.reset();
      router.refresh();
    } catch {
      setErrors({ file: ["The upload did not reach the server; check the connection and try again."] });
    } finally {
      setPending(false);
    }
  }
  return (
    <section className="mb-8 space-y-3" aria-labelledby="import-heading">
      <h2 id="import-heading" className="text-lg font-semibold">
        Import a backup file
      </h2>
      <form onSubmit={submit} className="flex flex-wrap items-start gap-3">
        <div className="space-y-1.5">
          <Label htmlFor="import-file">Backup file (.jsonl.gz)</Label>
          <Input id="import-file" name="file" type="file" accept=".gz,.jsonl.gz,application/gzip" required aria-invalid={!!errors?.file} aria-describedby="import-file-error" className="w-80" />
          <FieldError id="import-file-error" errors={errors?.file} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="import-note">Note</Label>
          <Input id="import-note" name="note" maxLength={2000} className="w-64" />
        </div>
        <Button type="submit" className="mt-6" disabled={pending}>
          {pending ? "Uploading and checking…" : "Import"}
        </Button>
      </form>
      {done && (
        <Alert variant="success">
          <AlertDescription>{done}</AlertDescription>
        </Alert>
      )}
    </section>
  );
}
