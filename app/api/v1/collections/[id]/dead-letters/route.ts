import { apiRoute } from "@/lib/api/route";
import { deadLettersOf } from "@/lib/services/collection/ui-reads";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

/** Dead documents counted by error stage and class. */
export const GET = apiRoute<{ id: string }>((ctx, _request, { id }) => deadLettersOf({ ctx, input: { collectionId: id } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
