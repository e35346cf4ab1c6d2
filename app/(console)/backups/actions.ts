"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { deleteBackup, startVerifyBackup } from "@/lib/services/backup/manage";
import { previewRestore, startRestore, type RestoreReport } from "@/lib/services/backup/restore";
import { deleteBackupSchedule, saveBackupSchedule } from "@/lib/services/backup/schedule";

export type VerifyResult = ActionResult<{ operationId: string; backupId: string }>;
export type RestoreResult = ActionResult<{ report: RestoreReport; operationId: string | null }>;
export type DeleteResult = ActionResult<{ backupId: string }>;
export type ScheduleResult = ActionResult<{ scheduleId: string }>;

/** VERIFY_BACKUP; the row links to the operation it started. */
export async function verifyBackupAction(_prev: VerifyResult | null, form: FormData): Promise<VerifyResult> {
  const result = await runAction((ctx) => startVerifyBackup({ ctx, input: { backupId: form.get("backupId") } }));
  if (result.ok) revalidatePath("/backups");
  return result;
}

/** The restore form: `intent` "check" runs the dry run and shows its report; "restore" starts it and goes to watch it. */
export async function restoreBackupAction(_prev: RestoreResult | null, form: FormData): Promise<RestoreResult> {
  const f = formObject(form);
  const input = { backupId: f.backupId, mode: f.mode, into: f.into, collectionId: f.collectionId, onConflict: f.onConflict || undefined, confirm: f.confirm };
  if (f.intent === "check") return runAction(async (ctx) => ({ report: await previewRestore({ ctx, input: { ...input, dryRun: true } }), operationId: null }));
  const result = await runAction(async (ctx) => {
    const started = await startRestore({ ctx, input });
    return { report: started.report, operationId: started.operationId };
  });
  if (!result.ok) return result;
  revalidatePath("/backups");
  redirect(`/operations/${result.data.operationId}`);
}

export async function deleteBackupAction(_prev: DeleteResult | null, form: FormData): Promise<DeleteResult> {
  const result = await runAction((ctx) => deleteBackup({ ctx, input: { backupId: form.get("backupId") } }));
  if (result.ok) revalidatePath("/backups");
  return result;
}

/** Checkboxes are sent only when ticked: an unticked one is false here, not the verb's default. */
export async function saveScheduleAction(_prev: ScheduleResult | null, form: FormData): Promise<ScheduleResult> {
  const f = formObject(form);
  const input = { ...f, vectors: f.vectors === true, enabled: f.enabled === true };
  const result = await runAction(async (ctx) => ({ scheduleId: (await saveBackupSchedule({ ctx, input })).id }));
  if (result.ok) revalidatePath("/backups");
  return result;
}

export async function deleteScheduleAction(_prev: ScheduleResult | null, form: FormData): Promise<ScheduleResult> {
  const result = await runAction((ctx) => deleteBackupSchedule({ ctx, input: { scheduleId: form.get("scheduleId") } }));
  if (result.ok) revalidatePath("/backups");
  return result;
}
