"use client";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { useResettingAction } from "@/components/ui/use-resetting-action";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { changePasswordAction } from "../actions";

const FIELDS = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "newPassword", label: "New password", autoComplete: "new-password" },
  { name: "confirmPassword", label: "Repeat new password", autoComplete: "new-password" },
] as const;

export function ChangePasswordForm() {
  const { state, action, pending, formRef, errors } = useResettingAction(changePasswordAction);
  return (
    <form ref={formRef} action={action} noValidate className="space-y-3" aria-label="Change password">
      {state?.ok && (
        <Alert variant="success">
          <AlertDescription>Your password was changed. Your other sessions (other browsers, copied cookies) were signed out.</AlertDescription>
        </Alert>
      )}
      {state && !state.ok && state.formError && !errors && (
        <Alert variant="destructive">
          <AlertDescription>{state.formError}</AlertDescription>
        </Alert>
      )}
      {FIELDS.map((f) => (
        <div key={f.name} className="space-y-1.5">
          <Label htmlFor={`pw-${f.name}`}>{f.label}</Label>
          <Input id={`pw-${f.name}`} name={f.name} type="password" autoComplete={f.autoComplete} aria-invalid={!!errors?.[f.name]} aria-describedby={`pw-${f.name}-error`} />
          <FieldError id={`pw-${f.name}-error`} errors={errors?.[f.name]} />
        </div>
      ))}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Change password"}
      </Button>
    </form>
  );
}
