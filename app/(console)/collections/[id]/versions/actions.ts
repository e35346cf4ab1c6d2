"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { createGoldenQuery, deleteGoldenQuery } from "@/lib/services/reindex/golden";
import { updateReindexPolicy } from "@/lib/services/reindex/policy";
import { deleteVersion, keepVersion, rollBackCollection } from "@/lib/services/reindex/versions";

const tab = (collectionId: unknown) => `/collections/${String(collectionId)}/versions`;

/** Starts a ROLLBACK to the version the operator confirmed; on success, to its operation's page. */
export async function rollBackAction(_prev: ActionResult<{ operationId: string }> | null, form: FormData): Promise<ActionResult<{ operationId: string }>> {
  const f = formObject(form);
  const result = await runAction((ctx) => rollBackCollection({ ctx, input: { collectionId: f.collectionId, toVersionId: f.toVersionId } }));
  if (!result.ok) return result;
  revalidatePath(`/collections/${String(f.collectionId)}`, "layout");
  redirect(`/operations/${result.data.operationId}`);
}

export async function keepVersionAction(_prev: ActionResult<{ version: number; keep: boolean }> | null, form: FormData): Promise<ActionResult<{ version: number; keep: boolean }>> {
  const f = formObject(form);
  const result = await runAction((ctx) => keepVersion({ ctx, input: { collectionId: f.collectionId, versionId: f.versionId, keep: f.keep === "true" } }));
  if (result.ok) revalidatePath(tab(f.collectionId));
  return result;
}

/** A version listed for deletion: by its id, or by its physical name when no version names it. */
export async function deleteVersionAction(_prev: ActionResult<{ deleted: string }> | null, form: FormData): Promise<ActionResult<{ deleted: string }>> {
  const f = formObject(form);
  const input = f.versionId ? { collectionId: f.collectionId, versionId: f.versionId } : { collectionId: f.collectionId, physicalName: f.physicalName };
  const result = await runAction((ctx) => deleteVersion({ ctx, input }));
  if (result.ok) revalidatePath(tab(f.collectionId));
  return result;
}

/** The expected documents come one per line. */
export async function createGoldenQueryAction(_prev: ActionResult<{ id: string }> | null, form: FormData): Promise<ActionResult<{ id: string }>> {
  const f = formObject(form);
  const expected = String(f.expected ?? "").split(/\r?\n/);
  const result = await runAction(async (ctx) => ({ id: (await createGoldenQuery({ ctx, input: { collectionId: f.collectionId, query: f.query, expected } })).id }));
  if (result.ok) revalidatePath(tab(f.collectionId));
  return result;
}

export async function deleteGoldenQueryAction(_prev: ActionResult<{ deleted: string }> | null, form: FormData): Promise<ActionResult<{ deleted: string }>> {
  const f = formObject(form);
  const result = await runAction((ctx) => deleteGoldenQuery({ ctx, input: { collectionId: f.collectionId, queryId: f.queryId } }));
  if (result.ok) revalidatePath(tab(f.collectionId));
  return result;
}

const POLICY_NUMBERS = ["countTolerance", "minOverlap", "minRecall", "maxScoreDrift", "approvalTimeoutHours", "rollbackWindowHours"] as const;

/** An empty field goes back to the default (null); the rest are numbers, and a yes / no choice. */
export async function updatePolicyAction(_prev: ActionResult<unknown> | null, form: FormData): Promise<ActionResult<unknown>> {
  const f = formObject(form);
  const input: Record<string, unknown> = { collectionId: f.collectionId };
  for (const field of POLICY_NUMBERS) {
    const raw = String(f[field] ?? "").trim();
    input[field] = raw === "" ? null : Number(raw);
  }
  input.distinctApprover = f.distinctApprover === "yes" ? true : f.distinctApprover === "no" ? false : null;
  const result = await runAction((ctx) => updateReindexPolicy({ ctx, input }));
  if (result.ok) revalidatePath(tab(f.collectionId));
  return result;
}
