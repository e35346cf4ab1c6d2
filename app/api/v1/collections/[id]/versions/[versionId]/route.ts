import { apiRoute } from "@/lib/api/route";
import { otherMethods } from "@/lib/api/methods";
import { deleteVersion } from "@/lib/services/reindex/versions";

export const dynamic = "force-dynamic";

/** Deletes a version that is not live (admins). */
export const DELETE = apiRoute<{ id: string; versionId: string }>((ctx, _request, { id, versionId }) => deleteVersion({ ctx, input: { collectionId: id, versionId } }));

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods({ DELETE });
