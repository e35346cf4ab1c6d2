import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { listVersions } from "@/lib/services/reindex/versions";

export const dynamic = "force-dynamic";

/** The alias history, newest first: when, who, from which version to which, by which operation. */
export const GET = apiRoute<{ id: string }>(async (ctx, _request, { id }) => ({ history: (await listVersions({ ctx, input: { collectionId: id } })).history }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
