"use client";

import { useActionState, type ReactNode } from "react";
import { FieldError } from "@/components/ui/field-error";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/actions/run-action";

type ControlProps = { id: string; "aria-invalid": boolean; "aria-describedby": string };

/** A labelled control with its hint and its errors, wired for screen readers. */
export function Field({ id, label, hint, errors, children }: { id: string; label: string; hint?: ReactNode; errors?: string[]; children: (props: ControlProps) => ReactNode }) {
  const invalid = !!errors && errors.length > 0;
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": invalid, "aria-describedby": `${id}-hint ${id}-error` })}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** Messages for error keys no field shows, so none is silently dropped. */
export function otherErrors(fieldErrors: Record<string, string[]> | undefined, shown: readonly string[]): string[] {
  return Object.entries(fieldErrors ?? {})
    .filter(([key]) => key !== "_form" && !shown.includes(key))
    .flatMap(([, messages]) => messages);
}

/**
 * What the alert above a form lists, each once: its message, every message on the form as a whole
 * (a start refused by several limits names them all), and field errors no field shows.
 */
export function alertMessages(formError: string | undefined, fieldErrors: Record<string, string[]> | undefined, shown: readonly string[]): string[] {
  return [...new Set([formError, ...(fieldErrors?._form ?? []), ...otherErrors(fieldErrors, shown)].filter((m): m is string => !!m))];
}

type Remembered<T> = { result: ActionResult<T> | null; values: Record<string, string> };

/**
 * useActionState that also keeps what was typed: React resets a form after its action, and the
 * fields take their defaultValue from these values, so a refused form comes back as it was sent.
 */
export function useRememberedAction<T>(action: (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>) {
  return useActionState<Remembered<T>, FormData>(
    async (prev, form) => {
      const values: Record<string, string> = {};
      for (const [key, value] of form.entries()) if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
      return { result: await action(prev.result, form), values };
    },
    { result: null, values: {} },
  );
}
