import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { sources } from "@/db/schema/sources";
import { getLogger } from "@/lib/observability/logger";
import { csvField } from "../audit/export-csv";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { parseReadInput } from "../verb";
import { deadReasonOf } from "./dead-reasons";
import { DocumentFilter, documentsAfter, encodeCursor, requireRead } from "./documents-list";
import { findCollection } from "./find";

const COLUMNS = ["id", "path", "source", "stage", "stage_changed_at", "chunks", "size_bytes", "attempts", "error_stage", "error_class", "error_message", "retry_can_help", "title", "duplicate_of"] as const;
const BATCH = 1000;

type Row = Awaited<ReturnType<typeof documentsAfter>>[number];

export function documentCsvLine(d: Row, sourceName: string): string {
  const retry = d.stage === "dead" ? (deadReasonOf(d.errorClass, d.originalErrorClass).retryable ? "yes" : "no") : "";
  const values = [d.id, d.path, sourceName, d.stage, d.stageChangedAt, d.chunkCount, d.sizeBytes, d.attempts, d.errorStage, d.errorClass, d.errorMessage, retry, d.title, d.duplicateOf];
  return values.map(csvField).join(",") + "\r\n";
}

/**
 * Every document matching the filter as CSV, in path order, read in keyset batches so memory stays
 * flat however large the collection. A read (viewers may export what they may see), so not audited.
 */
export async function exportDocumentsCsv({ ctx, input }: { ctx: ServiceContext; input: unknown }): Promise<{ collectionName: string; stream: ReadableStream<Uint8Array> }> {
  requireRead(ctx);
  if (!z.object({ collectionId: z.uuid() }).safeParse(input).success) throw notFound("Collection");
  const filter = parseReadInput(DocumentFilter, input);
  const collection = await findCollection(filter.collectionId);
  const names = new Map((await getDb().select({ id: sources.id, name: sources.name }).from(sources).where(eq(sources.collectionId, collection.id))).map((s) => [s.id, s.name]));

  const encoder = new TextEncoder();
  let cursor: Row | null = null;
  let state: "header" | "rows" | "done" = "header";
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (state === "header") {
          state = "rows";
          return controller.enqueue(encoder.encode(COLUMNS.join(",") + "\r\n"));
        }
        if (state === "done") return controller.close();
        const rows: Row[] = await documentsAfter(filter, cursor, BATCH);
        if (rows.length < BATCH) state = "done";
        cursor = rows.at(-1) ?? null;
        controller.enqueue(encoder.encode(rows.map((d) => documentCsvLine(d, names.get(d.sourceId) ?? "")).join("")));
      } catch (err) {
        getLogger().error({ err, correlationId: ctx.correlationId, cursor: cursor && encodeCursor(cursor) }, "documents export failed");
        controller.error(new Error("export failed"));
      }
    },
  });
  return { collectionName: collection.name, stream };
}
