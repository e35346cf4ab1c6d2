import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { startVerifyBackup } from "@/lib/services/backup/manage";

export const dynamic = "force-dynamic";

/** Starts VERIFY_BACKUP: 202 with the operation. */
export const POST = apiRoute<{ id: string }>(async (ctx, _request, { id }) => Response.json({ data: await startVerifyBackup({ ctx, input: { backupId: id } }) }, { status: 202 }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
