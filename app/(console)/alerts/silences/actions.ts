"use server";

import { revalidatePath } from "next/cache";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { expireSilence } from "@/lib/services/silences/change-silence";
import { createSilence } from "@/lib/services/silences/create-silence";
import { createMaintenanceWindow, updateMaintenanceWindow } from "@/lib/services/silences/windows";

type Done = ActionResult<{ message: string }>;

/** "collection=docs", "type!=BACKUP", "collection=~docs-.*", "severity!~info|warning": one a line. */
function parseMatchers(text: string) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^([^=!~\s]+)\s*(=~|!~|!=|=)\s*(.*)$/.exec(line);
      return m ? { label: m[1]!, op: m[2]!, value: m[3]!.trim() } : { label: line, op: "?", value: "" };
    });
}

/** The form's recurrence: none unless days are ticked. */
function recurrenceOf(form: FormData, f: Record<string, unknown>) {
  const days = form.getAll("days").map(Number);
  return days.length ? { days, from: f.from, to: f.to, timezone: f.timezone || "UTC" } : null;
}

const endOf = (f: Record<string, unknown>, start: Date) => new Date(start.getTime() + Number(f.hours ?? 0) * 3600_000);
const startOf = (f: Record<string, unknown>) => (f.startsAt ? new Date(`${String(f.startsAt)}Z`) : new Date());

export async function createSilenceAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const startsAt = startOf(f);
  const input = { matchers: parseMatchers(String(f.matchers ?? "")), startsAt, endsAt: endOf(f, startsAt), recurrence: recurrenceOf(form, f), comment: f.comment, reminderChannelIds: form.getAll("reminderChannelIds").map(String) };
  const result = await runAction(async (ctx) => {
    const s = await createSilence({ ctx, input });
    return { message: `Silence added (${s.state}).` };
  });
  if (result.ok) revalidatePath("/alerts/silences");
  return result;
}

export async function expireSilenceAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const result = await runAction(async (ctx) => {
    await expireSilence({ ctx, input: { silenceId: f.silenceId } });
    return { message: "Expired. Alerts it held and still firing are told at the next evaluation." };
  });
  if (result.ok) revalidatePath("/alerts/silences");
  return result;
}

export async function createWindowAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const startsAt = startOf(f);
  const input = { name: f.name, collectionId: f.collectionId || null, startsAt, endsAt: endOf(f, startsAt), recurrence: recurrenceOf(form, f), comment: f.comment ?? "" };
  const result = await runAction(async (ctx) => {
    const w = await createMaintenanceWindow({ ctx, input });
    return { message: `Window "${w.name}" planned.` };
  });
  if (result.ok) revalidatePath("/alerts/maintenance");
  return result;
}

export async function endWindowAction(_prev: Done | null, form: FormData): Promise<Done> {
  const f = formObject(form);
  const result = await runAction(async (ctx) => {
    await updateMaintenanceWindow({ ctx, input: { windowId: f.windowId, end: true } });
    return { message: "Ended." };
  });
  if (result.ok) revalidatePath("/alerts/maintenance");
  return result;
}
