"use client";

import { startTransition, useActionState, useEffect, useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import type { ActionResult } from "@/lib/actions/run-action";

type Done = ActionResult<{ message: string }>;

/**
 * A create form that keeps what was typed when the action refuses it (a form `action` prop is
 * reset by React after every submit, so one bad regex would wipe the whole form), cleared once it succeeds.
 */
export function KeepingForm({ action, submit, label, children }: { action: (prev: Done | null, form: FormData) => Promise<Done>; submit: string; label: string; children: ReactNode }) {
  const [result, formAction, pending] = useActionState(action, null);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok) ref.current?.reset();
  }, [result]);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  return (
    <form
      ref={ref}
      noValidate
      aria-label={label}
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => formAction(data));
      }}
    >
      {children}
      <Button type="submit" size="sm" disabled={pending}>
        {pending ? "…" : submit}
      </Button>
      {errors && <FieldError id={`${label}-errors`} errors={Object.values(errors).flat()} />}
      {result && !result.ok && result.formError && !errors && <p role="alert" className="text-sm text-destructive">{result.formError}</p>}
      {result?.ok && <p role="status" className="text-sm text-success">{result.data.message}</p>}
    </form>
  );
}
