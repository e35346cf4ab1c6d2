"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { clearCollection, previewClear } from "@/lib/services/backup/clear";
import { previewBackup, startBackup } from "@/lib/services/backup/start";

const checked = (v: unknown) => v === true || v === "true";

/** The form's fields as the verb's input: checkboxes are explicit booleans, sources one per checked box. */
function backupInput(form: FormData) {
  const f = formObject(form);
  const sources = form.getAll("sources").map(String);
  return { collectionId: f.collectionId, kind: f.kind, vectors: checked(f.vectors), sources: f.allSources === true ? undefined : sources, note: f.note, rateLimitMBps: f.rateLimitMBps };
}

export type BackupEstimateResult = ActionResult<Awaited<ReturnType<typeof previewBackup>>>;

export async function estimateBackupAction(_prev: BackupEstimateResult | null, form: FormData): Promise<BackupEstimateResult> {
  return runAction((ctx) => previewBackup({ ctx, input: { ...backupInput(form), dryRun: true } }));
}

/** Starts the BACKUP; on success, to its operation's page. */
export async function startBackupAction(_prev: ActionResult<{ operationId: string }> | null, form: FormData): Promise<ActionResult<{ operationId: string }>> {
  const input = backupInput(form);
  const result = await runAction((ctx) => startBackup({ ctx, input }));
  if (!result.ok) return result;
  revalidatePath(`/collections/${String(input.collectionId)}`, "layout");
  redirect(`/operations/${result.data.operationId}`);
}

export type ClearPreviewResult = ActionResult<Awaited<ReturnType<typeof previewClear>>>;

export async function previewClearAction(_prev: ClearPreviewResult | null, form: FormData): Promise<ClearPreviewResult> {
  const f = formObject(form);
  return runAction((ctx) => previewClear({ ctx, input: { collectionId: f.collectionId, backupFirst: checked(f.backupFirst), dryRun: true } }));
}

/** Starts the CLEAR (admin); on success, to its operation's page. */
export async function clearCollectionAction(_prev: ActionResult<{ operationId: string }> | null, form: FormData): Promise<ActionResult<{ operationId: string }>> {
  const f = formObject(form);
  const result = await runAction((ctx) => clearCollection({ ctx, input: { collectionId: f.collectionId, confirmName: f.confirmName, backupFirst: checked(f.backupFirst) } }));
  if (!result.ok) return result;
  revalidatePath(`/collections/${String(f.collectionId)}`, "layout");
  redirect(`/operations/${result.data.operationId}`);
}
