"use client";

import { useActionState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import type { ActionResult } from "@/lib/actions/run-action";

type Done = ActionResult<{ message: string }>;

/** One server action behind a confirmation dialog that names what will happen, with its outcome beside it. */
export function ConfirmActionForm({ action, hidden, submit, title, description, label }: { action: (prev: Done | null, form: FormData) => Promise<Done>; hidden: Record<string, string>; submit: string; title: string; description: string; label: string }) {
  const [result, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} aria-label={label} className="flex flex-wrap items-center gap-2">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <ConfirmButton size="sm" variant="outline" disabled={pending} title={title} description={description} confirmLabel={submit}>
        {pending ? "…" : submit}
      </ConfirmButton>
      {result && !result.ok && <p role="alert" className="text-sm text-destructive">{result.formError ?? Object.values(result.fieldErrors ?? {}).flat().join(" ")}</p>}
      {result?.ok && <p role="status" className="text-sm text-success">{result.data.message}</p>}
    </form>
  );
}
