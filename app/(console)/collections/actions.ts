"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { formObject, runAction, type ActionResult } from "@/lib/actions/run-action";
import { appendSource } from "@/lib/services/collection/append";
import { createCollection, createInputFromForm } from "@/lib/services/collection/create";
import { deleteCollection } from "@/lib/services/collection/delete";
import { removeSource } from "@/lib/services/collection/remove-source";
import { retryDocuments } from "@/lib/services/collection/retry-documents";
import { startReindex } from "@/lib/services/reindex/start";

type Started = ActionResult<{ operationId: string }>;

/** An empty optional field means "use the default", not "zero". */
const optional = (value: unknown) => (value === "" || value === undefined ? undefined : value);

/** Every action here starts an operation; on success the operator is taken to watch it. */
function followOperation(result: Started, collectionId?: unknown): Started {
  if (!result.ok) return result;
  revalidatePath("/collections");
  if (typeof collectionId === "string") revalidatePath(`/collections/${collectionId}`, "layout");
  redirect(`/operations/${result.data.operationId}`);
}

export async function createCollectionAction(_prev: Started | null, form: FormData): Promise<Started> {
  const f = formObject(form);
  const input = createInputFromForm(f, { kind: "directory", name: f.sourceName, path: f.sourcePath });
  return followOperation(await runAction((ctx) => createCollection({ ctx, input })));
}

/** With a sourceId: re-scan that source. Otherwise: add the named folder as a new source. */
export async function appendSourceAction(_prev: Started | null, form: FormData): Promise<Started> {
  const f = formObject(form);
  const input = f.sourceId ? { collectionId: f.collectionId, sourceId: f.sourceId } : { collectionId: f.collectionId, source: { kind: "directory", name: f.sourceName, path: f.sourcePath } };
  return followOperation(await runAction((ctx) => appendSource({ ctx, input })), f.collectionId);
}

export async function removeSourceAction(_prev: Started | null, form: FormData): Promise<Started> {
  const f = formObject(form);
  const input = { collectionId: f.collectionId, sourceId: f.sourceId, confirmName: f.confirmName };
  return followOperation(await runAction((ctx) => removeSource({ ctx, input })), f.collectionId);
}

/** `mode` comes from the pressed button: the ticked documents, or every dead document matching the filter. */
export async function retryDocumentsAction(_prev: Started | null, form: FormData): Promise<Started> {
  const f = formObject(form);
  const input =
    f.mode === "matching"
      ? { collectionId: f.collectionId, matching: { errorStage: optional(f.errorStage), errorClass: optional(f.errorClass) } }
      : { collectionId: f.collectionId, documentIds: form.getAll("documentIds").map(String) };
  return followOperation(await runAction((ctx) => retryDocuments({ ctx, input })), f.collectionId);
}

/**
 * REINDEX with the form's settings; the operator typed the collection's name in `confirm`. An empty
 * throttle is no throttle. The verb refuses on the field (confirm, settings.*) before anything starts.
 */
export async function startReindexAction(_prev: Started | null, form: FormData): Promise<Started> {
  const f = formObject(form);
  const input = {
    collectionId: f.collectionId,
    settings: { embeddingModel: f.embeddingModel, chunkSize: f.chunkSize, chunkOverlap: f.chunkOverlap, distance: f.distance },
    throttleDocsPerS: optional(f.throttleDocsPerS) ?? null,
    requireApproval: f.requireApproval === true,
    confirm: f.confirmName,
  };
  return followOperation(await runAction((ctx) => startReindex({ ctx, input })), f.collectionId);
}

/** Admin, destructive: the collection goes with its points, documents and uploads; back to the list. */
export async function deleteCollectionAction(_prev: ActionResult<{ name: string }> | null, form: FormData): Promise<ActionResult<{ name: string }>> {
  const f = formObject(form);
  const result = await runAction((ctx) => deleteCollection({ ctx, input: { collectionId: f.collectionId, confirmName: f.confirmName } }));
  if (!result.ok) return result;
  revalidatePath("/collections");
  redirect(`/collections?deleted=${encodeURIComponent(result.data.name)}`);
}
