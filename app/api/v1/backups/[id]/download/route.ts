import { Readable } from "node:stream";
import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { openBackupDownload } from "@/lib/services/backup/manage";

export const dynamic = "force-dynamic";

/** The backup's file, streamed. */
export const GET = apiRoute<{ id: string }>(async (ctx, _request, { id }) => {
  const file = await openBackupDownload({ ctx, input: { backupId: id } });
  const body = Readable.toWeb(file.stream) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { "content-type": "application/gzip", "content-length": String(file.size), "content-disposition": `attachment; filename="${file.fileName}"` } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
