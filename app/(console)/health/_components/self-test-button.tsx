"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { startSelfTestAction } from "../actions";

/** Starts a SELF_TEST operation and opens it, so its checkpoints can be watched as they happen. */
export function SelfTestButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <Button
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const result = await startSelfTestAction();
            if (result.ok) router.push(`/operations/${result.data.operationId}`);
            else setError(result.formError ?? "Could not start the self-test.");
          })
        }
      >
        {pending ? "Starting…" : "Run self-test"}
      </Button>
      {error && <p className="text-sm text-destructive">{error}</p>}
    </div>
  );
}
