"use client";

import { useActionState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import type { Role } from "@/lib/auth/rbac";
import { createTokenAction } from "../actions";

/** `roles`: what the signed-in user may give a token, their own role last (the default). */
export function CreateTokenForm({ roles }: { roles: Role[] }) {
  const [state, action, pending] = useActionState(createTokenAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <div className="space-y-4">
      {state?.ok && (
        <Alert variant="success">
          <AlertTitle>
            Token “{state.data.name}” created with role {state.data.role}
          </AlertTitle>
          <AlertDescription>
            Copy it now: it is shown only once.
            <code data-testid="new-token" className="mt-2 block break-all rounded bg-muted p-2 font-mono text-sm">
              {state.data.secret}
            </code>
          </AlertDescription>
        </Alert>
      )}
      {state && !state.ok && state.formError && (
        <Alert variant="destructive">
          <AlertDescription>{state.formError}</AlertDescription>
        </Alert>
      )}
      <form action={action} noValidate className="flex flex-wrap items-end gap-4" aria-label="Create API token">
        <div className="space-y-1.5">
          <Label htmlFor="token-name">Name</Label>
          <Input id="token-name" name="name" placeholder="nightly-backup" aria-invalid={!!errors?.name} aria-describedby="token-name-error" />
          <FieldError id="token-name-error" errors={errors?.name} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="token-expiry">Expires after (days, optional)</Label>
          <Input id="token-expiry" name="expiresInDays" inputMode="numeric" className="w-40" aria-invalid={!!errors?.expiresInDays} aria-describedby="token-expiry-error" />
          <FieldError id="token-expiry-error" errors={errors?.expiresInDays} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="token-role">Role</Label>
          <Select id="token-role" name="role" defaultValue={roles[roles.length - 1]} className="w-36" aria-invalid={!!errors?.role} aria-describedby="token-role-error">
            {roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </Select>
          <FieldError id="token-role-error" errors={errors?.role} />
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
    </div>
  );
}
