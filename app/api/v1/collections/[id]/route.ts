import { apiRoute } from "@/lib/api/route";
import { getCollection } from "@/lib/services/collection/read";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => getCollection({ ctx, input: { collectionId: id } }));
