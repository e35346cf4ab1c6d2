import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { previewRestore, startRestore } from "@/lib/services/backup/restore";

export const dynamic = "force-dynamic";

/** `{ backupId, mode: new|replace|merge, into, collectionId, onConflict, confirm, dryRun }`: 202 with the operation, or 200 with the report for a dry run. */
export const POST = apiRoute(async (ctx, request) => {
  const input = await jsonFields(request);
  if (input.dryRun === true) return previewRestore({ ctx, input });
  return Response.json({ data: await startRestore({ ctx, input }) }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
