"use client";

import { useActionState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { revokeTokenAction } from "../actions";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, action, pending] = useActionState(revokeTokenAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="tokenId" value={tokenId} />
      <ConfirmButton
        variant="destructive"
        size="sm"
        disabled={pending}
        aria-label={`Revoke ${name}`}
        title={`Revoke token “${name}”?`}
        description="Anything using it stops working at once. This cannot be undone."
        confirmLabel="Revoke token"
      >
        Revoke
      </ConfirmButton>
      {state && !state.ok && <p className="text-sm text-destructive">{state.formError}</p>}
    </form>
  );
}
