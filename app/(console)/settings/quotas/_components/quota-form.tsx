"use client";

import { useActionState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/actions/run-action";
import type { Role } from "@/lib/auth/rbac";
import type { RoleQuotaView } from "@/lib/services/quota/get";
import { formatCount } from "@/lib/format";
import { updateQuotaAction } from "../actions";
import { QUOTA_FIELDS } from "../fields";

type Limits = { maxConcurrentOperations: number | null; maxPointsPerCollection: number | null; maxCollections: number | null };
type Saved = ActionResult<RoleQuotaView>;

// Shown with separators (1,000,000 reads better than 1000000); the server takes them back.
const shown = (n: number | null) => (n === null ? "" : formatCount(n));
const summary = (q: Limits) => QUOTA_FIELDS.map((f) => `${f.label.toLowerCase()} ${q[f.name] === null ? "no limit" : formatCount(q[f.name]!)}`).join(", ");

/**
 * One role's limits. React clears a form after its action, so the fields take what was sent (a
 * refused value comes back as typed) or else what is saved.
 */
export function QuotaForm({ quota }: { quota: Limits & { role: Role } }) {
  const [{ result, values }, action, pending] = useActionState<{ result: Saved | null; values: Record<string, string> }, FormData>(
    async (prev, form) => {
      const sent = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === "string" && !e[0].startsWith("$ACTION")));
      const next = await updateQuotaAction(prev.result, form);
      return { result: next, values: next.ok ? Object.fromEntries(QUOTA_FIELDS.map((f) => [f.name, shown(next.data[f.name])])) : sent };
    },
    { result: null, values: {} },
  );
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const id = (field: string) => `quota-${quota.role}-${field}`;
  return (
    <form action={action} noValidate className="space-y-4" aria-label={`Quotas for ${quota.role}`}>
      <input type="hidden" name="role" value={quota.role} />
      {result && !result.ok && result.formError && (
        <Alert variant="destructive">
          <AlertDescription>{result.formError}</AlertDescription>
        </Alert>
      )}
      {result?.ok && (
        <Alert variant="success">
          <AlertDescription>Saved: {summary(result.data)}.</AlertDescription>
        </Alert>
      )}
      {QUOTA_FIELDS.map((field) => (
        <div key={field.name} className="space-y-1.5">
          <Label htmlFor={id(field.name)}>{field.label}</Label>
          <Input
            id={id(field.name)}
            name={field.name}
            inputMode="numeric"
            autoComplete="off"
            placeholder="No limit"
            defaultValue={values[field.name] ?? shown(quota[field.name])}
            aria-invalid={!!errors?.[field.name]}
            aria-describedby={`${id(field.name)}-hint ${id(field.name)}-error`}
          />
          <p id={`${id(field.name)}-hint`} className="text-xs text-muted-foreground">
            {field.hint}
          </p>
          <FieldError id={`${id(field.name)}-error`} errors={errors?.[field.name]} />
        </div>
      ))}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : `Save ${quota.role} limits`}
      </Button>
    </form>
  );
}
