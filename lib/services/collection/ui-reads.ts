import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden, notFound } from "../errors";
import { deadReasonOf } from "./dead-reasons";
import { deadLetterSummary, documentHistory } from "./read";

const isUuid = (value: string) => z.uuid().safeParse(value).success;

/** One document of a collection with its stage events; an id from elsewhere is "not found", not a 500. */
export async function getDocumentHistory({ ctx, input }: { ctx: ServiceContext; input: { collectionId: string; documentId: string } }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  if (!isUuid(input.collectionId) || !isUuid(input.documentId)) throw notFound("Document");
  const [document] = await getDb()
    .select({
      id: documents.id,
      path: documents.path,
      stage: documents.stage,
      stageChangedAt: documents.stageChangedAt,
      attempts: documents.attempts,
      errorStage: documents.errorStage,
      errorClass: documents.errorClass,
      errorMessage: documents.errorMessage,
    })
    .from(documents)
    .where(and(eq(documents.id, input.documentId), eq(documents.collectionId, input.collectionId)));
  if (!document) throw notFound("Document");
  const events = await documentHistory({ ctx, input: { documentId: document.id } });
  return { document, events };
}

/** deadLetterSummary for an id that came from a URL (a malformed id is "not found"), each kind with whether a retry can help. */
export async function deadLettersOf({ ctx, input }: { ctx: ServiceContext; input: { collectionId: string } }) {
  if (!can(ctx.actor.role, "collection.read")) throw forbidden();
  if (!isUuid(input.collectionId)) throw notFound("Collection");
  return (await deadLetterSummary({ ctx, input })).map((kind) => ({ ...kind, ...deadReasonOf(kind.errorClass, kind.originalErrorClass) }));
}
