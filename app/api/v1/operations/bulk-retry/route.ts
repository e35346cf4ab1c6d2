import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { bulkRetryOperations } from "@/lib/services/operation/bulk-retry";

export const dynamic = "force-dynamic";

/** `{ ids?: string[], filter?: {...}, dryRun?: boolean }`: 202 with the retries started, or 200 with the counts of a dry run. */
export const POST = apiRoute(async (ctx, request) => {
  const summary = await bulkRetryOperations({ ctx, input: await jsonFields(request) });
  return summary.dryRun ? summary : Response.json({ data: summary }, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
