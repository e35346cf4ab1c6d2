import { apiRoute, jsonBody } from "@/lib/api/route";
import { searchCollection } from "@/lib/services/collection/search";
import { asObject, collectionPath } from "../../ids";

export const dynamic = "force-dynamic";

/** Body `{ query, limit? }`. A POST because queries can be long and should stay out of access logs. */
export const POST = apiRoute(async (ctx, request) => searchCollection({ ctx, input: { ...asObject(await jsonBody(request)), collectionId: collectionPath(request).collectionId } }));
