"use client";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { useResettingAction } from "@/components/ui/use-resetting-action";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { createUserAction } from "../actions";

export function CreateUserForm() {
  const { state, action, pending, formRef, errors } = useResettingAction(createUserAction);

  return (
    <form ref={formRef} action={action} noValidate className="grid gap-4 md:grid-cols-2" aria-label="Create user">
      {state && !state.ok && state.formError && (
        <Alert variant="destructive" className="md:col-span-2">
          <AlertDescription>{state.formError}</AlertDescription>
        </Alert>
      )}
      {state?.ok && (
        <Alert variant="success" className="md:col-span-2">
          <AlertDescription>Created {state.data.email} as {state.data.role}.</AlertDescription>
        </Alert>
      )}
      <div className="space-y-1.5">
        <Label htmlFor="new-email">E-mail</Label>
        <Input id="new-email" name="email" type="email" aria-invalid={!!errors?.email} aria-describedby="new-email-error" />
        <FieldError id="new-email-error" errors={errors?.email} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="new-name">Name</Label>
        <Input id="new-name" name="name" aria-invalid={!!errors?.name} aria-describedby="new-name-error" />
        <FieldError id="new-name-error" errors={errors?.name} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="new-role">Role</Label>
        <Select id="new-role" name="role" defaultValue="viewer" aria-describedby="new-role-error">
          <option value="viewer">viewer: read-only</option>
          <option value="operator">operator: runs operations</option>
          <option value="admin">admin: everything</option>
        </Select>
        <FieldError id="new-role-error" errors={errors?.role} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="new-password">Initial password</Label>
        <Input id="new-password" name="password" type="password" autoComplete="new-password" aria-invalid={!!errors?.password} aria-describedby="new-password-error" />
        <FieldError id="new-password-error" errors={errors?.password} />
      </div>
      <div className="md:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create user"}
        </Button>
      </div>
    </form>
  );
}
