import { apiRoute } from "@/lib/api/route";
import { deadLettersOf } from "@/lib/services/collection/ui-reads";

export const dynamic = "force-dynamic";

/** Dead documents counted by error stage and class. */
export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => deadLettersOf({ ctx, input: { collectionId: id } }));
