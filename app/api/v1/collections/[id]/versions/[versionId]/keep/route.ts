import { apiRoute, jsonFields } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { keepVersion } from "@/lib/services/reindex/versions";

export const dynamic = "force-dynamic";

/** `{ keep: true|false }`: a retired version stays past its rollback window, or goes at its end. */
export const POST = apiRoute<{ id: string; versionId: string }>(async (ctx, request, { id, versionId }) => keepVersion({ ctx, input: { keep: true, ...(await jsonFields(request)), collectionId: id, versionId } }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ POST });
