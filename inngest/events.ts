import { eventType } from "inngest";
import { z } from "zod";

/** Typed events of Stevedore's functions. Names: `stevedore/<entity>.<verb-past>`. */
export const selfTestRequested = eventType("stevedore/selftest.requested", {
  schema: z.object({ operationId: z.string().min(1) }),
});

/** Cancels a running operation's function (cancelOn matches data.operationId). */
export const operationCancelRequested = eventType("stevedore/operation.cancel-requested", {
  schema: z.object({ operationId: z.string().min(1) }),
});

/** INDEX and APPEND: scan a source and feed its new and changed documents through the pipeline. */
export const sourceIndexRequested = eventType("stevedore/source.index-requested", {
  schema: z.object({ operationId: z.string().min(1) }),
});

/** REMOVE_SOURCE: delete a source's points and documents in batches. */
export const sourceRemoveRequested = eventType("stevedore/source.remove-requested", {
  schema: z.object({ operationId: z.string().min(1) }),
});

const batchSchema = z.object({ operationId: z.string().min(1), batch: z.string().min(1), documentIds: z.array(z.string()).min(1) });

/** Pipeline stage 1: parse → validate → chunk one batch of documents. */
export const parseRequested = eventType("stevedore/pipeline.parse-requested", { schema: batchSchema });

/** Pipeline stage 2: embed → store one batch of chunked documents. */
export const embedRequested = eventType("stevedore/pipeline.embed-requested", { schema: batchSchema });

/** A pipeline batch left none of its operation's documents in progress: the operation can finish now. */
export const documentsSettled = eventType("stevedore/pipeline.documents-settled", {
  schema: z.object({ operationId: z.string().min(1) }),
});
