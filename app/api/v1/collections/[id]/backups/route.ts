import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listBackups } from "@/lib/services/backup/manage";
import { previewBackup, startBackup } from "@/lib/services/backup/start";

export const dynamic = "force-dynamic";

/** The collection's backups, newest first. */
export const GET = apiRoute<{ id: string }>((ctx, request, { id }) => listBackups({ ctx, input: { ...Object.fromEntries(new URL(request.url).searchParams), collectionId: id } }));

/** `{ kind, vectors, sources, note, rateLimitMBps, dryRun }`: 202 with the operation, or 200 with the estimate for a dry run. */
export const POST = apiRoute<{ id: string }>(async (ctx, request, { id }) => {
  const input: Record<string, unknown> = { ...(await jsonFields(request)), collectionId: id };
  if (input.dryRun === true) return previewBackup({ ctx, input });
  return Response.json({ data: await startBackup({ ctx, input }) }, { status: 202 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
