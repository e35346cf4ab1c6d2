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
