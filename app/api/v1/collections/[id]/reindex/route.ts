import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { previewReindex, startReindex } from "@/lib/services/reindex/start";

export const dynamic = "force-dynamic";

/** `{ settings, requireApproval, throttleDocsPerS, dryRun, confirm }`: 202 with the operation, or 200 with the plan for a dry run. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const input: Record<string, unknown> = { ...(await jsonFields(request)), collectionId: id };
  if (input.dryRun === true) return previewReindex({ ctx, input });
  return Response.json({ data: await startReindex({ ctx, input }) }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
