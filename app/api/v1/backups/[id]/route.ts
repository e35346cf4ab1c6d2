import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteBackup, getBackup } from "@/lib/services/backup/manage";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getBackup({ ctx, input: { backupId: id } }));

/** Admin: the backup and its file. */
export const DELETE = apiRoute<{ id: string }>((ctx, _request, { id }) => deleteBackup({ ctx, input: { backupId: id } }));

export const { POST, PUT, PATCH, OPTIONS } = otherMethods({ GET, DELETE });
