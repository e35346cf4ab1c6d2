"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Select } from "@/components/ui/select";
import type { Role } from "@/lib/auth/rbac";
import { unlockUserAction, updateUserAction } from "../actions";

export function UserRowActions({ user, isSelf }: { user: { id: string; email: string; role: Role; disabled: boolean; locked: boolean }; isSelf: boolean }) {
  const [roleState, roleAction, rolePending] = useActionState(updateUserAction, null);
  const [statusState, statusAction, statusPending] = useActionState(updateUserAction, null);
  const [unlockState, unlockAction, unlockPending] = useActionState(unlockUserAction, null);
  const error = [roleState, statusState, unlockState].find((s) => s && !s.ok);

  return (
    <div className="flex flex-wrap items-center gap-2">
      <form action={roleAction} className="flex items-center gap-2">
        <input type="hidden" name="userId" value={user.id} />
        <Select name="role" defaultValue={user.role} aria-label={`Role of ${user.email}`} className="w-32" disabled={isSelf}>
          <option value="viewer">viewer</option>
          <option value="operator">operator</option>
          <option value="admin">admin</option>
        </Select>
        <Button type="submit" variant="outline" size="sm" disabled={isSelf || rolePending}>
          Change role
        </Button>
      </form>
      <form action={statusAction}>
        <input type="hidden" name="userId" value={user.id} />
        <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
        {user.disabled ? (
          <Button type="submit" variant="secondary" size="sm" disabled={isSelf || statusPending} aria-label={`Enable ${user.email}`}>
            Enable
          </Button>
        ) : (
          <ConfirmButton
            variant="destructive"
            size="sm"
            disabled={isSelf || statusPending}
            aria-label={`Disable ${user.email}`}
            title={`Disable ${user.email}?`}
            description="They are signed out everywhere and their API tokens stop working until an admin enables the account again."
            confirmLabel="Disable user"
          >
            Disable
          </ConfirmButton>
        )}
      </form>
      {user.locked && (
        <form
          action={unlockAction}
          onSubmit={(e) => {
            if (!confirm(`Unlock ${user.email}? Failed sign-ins are forgotten and sign-in works again from every address.`)) e.preventDefault();
          }}
        >
          <input type="hidden" name="userId" value={user.id} />
          <Button type="submit" variant="outline" size="sm" disabled={unlockPending} aria-label={`Unlock ${user.email}`}>
            Unlock
          </Button>
        </form>
      )}
      {error && !error.ok && <p className="text-sm text-destructive">{error.formError ?? "Could not save."}</p>}
    </div>
  );
}
