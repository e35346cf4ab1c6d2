import { apiRoute } from "@/lib/api/route";
import { deadLettersOf } from "@/lib/services/collection/ui-reads";
import { collectionPath } from "../../ids";

export const dynamic = "force-dynamic";

/** Dead documents counted by error stage and class. */
export const GET = apiRoute((ctx, request) => deadLettersOf({ ctx, input: { collectionId: collectionPath(request).collectionId } }));
