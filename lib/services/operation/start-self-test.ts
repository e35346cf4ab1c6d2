import { selfTestRequested } from "@/inngest/events";
import type { ServiceContext } from "../context";
import { authorize } from "../verb";
import { startOperation } from "./start";

/** A SELF_TEST operation: proves the request → executor → function → checkpoints path end to end. */
export async function startSelfTest({ ctx }: { ctx: ServiceContext }) {
  await authorize(ctx, "operation.start", "operation.start", { type: "operation", id: null });
  return startOperation(ctx, { type: "SELF_TEST", event: { name: selfTestRequested.name } });
}
