"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format";
import type { VersionRow } from "@/lib/query/versions";
import { deleteVersionAction, keepVersionAction, rollBackAction } from "../actions";

/** After a change the versions query reads again, so the table shows what the server now holds. */
function useRefreshOnSuccess(ok: boolean | undefined, collectionId: string, state: unknown) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (ok) void queryClient.invalidateQueries({ queryKey: ["collection", collectionId, "versions"] });
  }, [ok, state, collectionId, queryClient]);
}

const settingsLine = (v: Pick<VersionRow, "embeddingModel" | "chunkSize" | "chunkOverlap" | "distance">) =>
  `${v.embeddingModel}, ${v.distance}, chunks of ${formatCount(v.chunkSize)} characters (${formatCount(v.chunkOverlap)} overlap)`;

/** "Roll back to version N": says what happens, then starts the ROLLBACK and opens its operation. */
export function RollbackButton({ collectionId, target, live, windowHours, disabled }: { collectionId: string; target: VersionRow; live: VersionRow | undefined; windowHours: number; disabled: boolean }) {
  const [state, action, pending] = useActionState(rollBackAction, null);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="collectionId" value={collectionId} />
      <input type="hidden" name="toVersionId" value={target.id} />
      <ConfirmButton
        variant="outline"
        disabled={disabled || pending}
        title={`Roll back to version ${target.version}?`}
        confirmLabel={`Roll back to version ${target.version}`}
        description={
          <div className="space-y-2">
            <p>
              A ROLLBACK operation first checks that version {target.version} still holds every document: it is refused if documents were added or removed since the switch (reindex
              instead). Then searches move to version {target.version} in one step, with its settings: {settingsLine(target)}.
            </p>
            {live && (
              <p>
                Version {live.version}, live now, is then kept for the rollback window ({windowHours} h), so you can switch forward to it again until that ends.
              </p>
            )}
          </div>
        }
      >
        {pending ? "Starting…" : `Roll back to version ${target.version}`}
      </ConfirmButton>
      {state && !state.ok && (
        <p role="alert" className="text-sm text-destructive">
          {state.formError}
        </p>
      )}
    </form>
  );
}

/** A switch: a kept retired version outlives its rollback window until it is let go again. */
export function KeepSwitch({ collectionId, version }: { collectionId: string; version: VersionRow }) {
  const [state, action, pending] = useActionState(keepVersionAction, null);
  useRefreshOnSuccess(state?.ok, collectionId, state);
  return (
    <form action={action} className="flex flex-col items-start gap-1">
      <input type="hidden" name="collectionId" value={collectionId} />
      <input type="hidden" name="versionId" value={version.id} />
      <input type="hidden" name="keep" value={String(!version.keep)} />
      <button
        type="submit"
        role="switch"
        aria-checked={version.keep}
        aria-label={`Keep version ${version.version} past its rollback window`}
        disabled={pending}
        className="inline-flex items-center gap-2 rounded-md text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-60"
      >
        <span className={cn("relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border transition-colors", version.keep ? "border-primary bg-primary" : "bg-muted")}>
          <span className={cn("inline-block size-4 rounded-full bg-background shadow transition-transform", version.keep ? "translate-x-4" : "translate-x-0.5")} />
        </span>
        {version.keep ? "Kept" : "Keep"}
      </button>
      {state && !state.ok && (
        <p role="alert" className="text-xs text-destructive">
          {state.formError}
        </p>
      )}
    </form>
  );
}

/** Admins: a version listed for deletion leaves the vector store. */
export function DeleteVersionButton({ collectionId, versionId, physicalName }: { collectionId: string; versionId: string | null; physicalName: string }) {
  const [state, action, pending] = useActionState(deleteVersionAction, null);
  useRefreshOnSuccess(state?.ok, collectionId, state);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <input type="hidden" name="collectionId" value={collectionId} />
      {versionId ? <input type="hidden" name="versionId" value={versionId} /> : <input type="hidden" name="physicalName" value={physicalName} />}
      <ConfirmButton
        variant="destructive"
        size="sm"
        disabled={pending}
        aria-label={`Delete ${physicalName}`}
        title={`Delete ${physicalName}?`}
        description="Its points leave the vector store for good; it can no longer be rolled back to. The live version is not touched."
        confirmLabel={`Delete ${physicalName}`}
      >
        {pending ? "Deleting…" : "Delete"}
      </ConfirmButton>
      {state && !state.ok && (
        <p role="alert" className="text-xs text-destructive">
          {state.formError}
        </p>
      )}
    </form>
  );
}
