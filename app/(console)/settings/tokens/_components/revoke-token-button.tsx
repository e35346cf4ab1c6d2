"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { revokeTokenAction } from "../actions";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, action, pending] = useActionState(revokeTokenAction, null);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!confirm(`Revoke “${name}”? Anything using it stops working at once.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="tokenId" value={tokenId} />
      <Button type="submit" variant="destructive" size="sm" disabled={pending} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
      {state && !state.ok && <p className="text-sm text-destructive">{state.formError}</p>}
    </form>
  );
}
