import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listBackups } from "@/lib/services/backup/manage";

export const dynamic = "force-dynamic";

/** Every backup (`?collectionId=` for one collection's), newest first. */
export const GET = apiRoute((ctx, request) => listBackups({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
