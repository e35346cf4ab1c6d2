import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { bulkCancelOperations } from "@/lib/services/operation/bulk-cancel";

export const dynamic = "force-dynamic";

/** `{ ids?: string[], filter?: {...}, dryRun?: boolean }`: the counts, after cancelling unless dryRun. */
export const POST = apiRoute(async (ctx, request) => bulkCancelOperations({ ctx, input: await jsonFields(request) }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
