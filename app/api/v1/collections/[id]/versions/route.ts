import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listVersions } from "@/lib/services/reindex/versions";

export const dynamic = "force-dynamic";

/** Versions, alias history, the version a rollback would go back to, and versions listed for deletion. */
export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => listVersions({ ctx, input: { collectionId: id } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
