"use client";

import { useActionState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import type { ActionResult } from "@/lib/actions/run-action";

type Done = ActionResult<{ message: string }>;

/**
 * A small form around one server action: hidden fields, optional visible ones, a submit button,
 * and the outcome in words beside it (an error on its field, or the form's message).
 */
export function ActionForm({ action, hidden, submit, children, label, variant }: { action: (prev: Done | null, form: FormData) => Promise<Done>; hidden: Record<string, string>; submit: string; children?: ReactNode; label: string; variant?: "default" | "outline" | "destructive" }) {
  const [result, formAction, pending] = useActionState(action, null);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  return (
    <form action={formAction} noValidate aria-label={label} className="flex flex-wrap items-start gap-2">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <Button type="submit" size="sm" variant={variant ?? "outline"} disabled={pending}>
        {pending ? "…" : submit}
      </Button>
      {errors && <FieldError id={`${label}-errors`} errors={Object.values(errors).flat()} />}
      {result && !result.ok && result.formError && !errors && <p role="alert" className="text-sm text-destructive">{result.formError}</p>}
      {result?.ok && <p role="status" className="text-sm text-success break-all">{result.data.message}</p>}
    </form>
  );
}
