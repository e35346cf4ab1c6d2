import { apiRoute } from "@/lib/api/route";
import { getCollection } from "@/lib/services/collection/read";
import { collectionPath } from "../ids";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => getCollection({ ctx, input: { collectionId: collectionPath(request).collectionId } }));
