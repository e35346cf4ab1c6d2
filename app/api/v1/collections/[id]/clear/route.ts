import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { clearCollection, previewClear } from "@/lib/services/backup/clear";

export const dynamic = "force-dynamic";

/** `{ confirmName, backupFirst = true, dryRun }` (admin): 202 with the operation, or 200 with the counts for a dry run. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const input: Record<string, unknown> = { ...(await jsonFields(request)), collectionId: id };
  if (input.dryRun === true) return previewClear({ ctx, input });
  return Response.json({ data: await clearCollection({ ctx, input }) }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
