import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { FieldedError } from "@/lib/form-errors";
import type { previewReindex } from "@/lib/services/reindex/start";
import type { Json } from "./fetch-json";

export type ReindexPreview = Json<Awaited<ReturnType<typeof previewReindex>>>;

/** What the reindex form sends: field values as typed (the verb coerces and checks them). */
export type ReindexDraft = {
  settings: { embeddingModel: string; chunkSize: string; chunkOverlap: string; distance: string };
  throttleDocsPerS: string;
};

/** A refused API call with the verb's code and field errors, so a form can put them on its fields. */
export class ApiError extends Error implements FieldedError {
  constructor(
    message: string,
    readonly code?: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** An empty throttle means none, not zero. */
export const draftInput = (draft: ReindexDraft) => ({ settings: draft.settings, throttleDocsPerS: draft.throttleDocsPerS.trim() === "" ? null : draft.throttleDocsPerS });

async function postDryRun(collectionId: string, draft: ReindexDraft, signal: AbortSignal): Promise<ReindexPreview> {
  const response = await fetch(`/api/v1/collections/${collectionId}/reindex`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ ...draftInput(draft), dryRun: true }),
    signal,
  });
  const body = (await response.json().catch(() => null)) as { data?: ReindexPreview; error?: FieldedError } | null;
  if (!response.ok || !body?.data) throw new ApiError(body?.error?.message ?? `The estimate could not be made (${response.status}).`, body?.error?.code, body?.error?.fieldErrors);
  return body.data;
}

/**
 * The dry run of a reindex for the form's current values: the diff, the estimate and the refusals a
 * start would meet. The previous answer stays on screen while the next one is fetched.
 */
export const reindexPreviewQuery = (collectionId: string, draft: ReindexDraft) =>
  queryOptions({
    queryKey: ["collection", collectionId, "reindex-preview", draft],
    queryFn: ({ signal }) => postDryRun(collectionId, draft, signal),
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 10_000,
  });
