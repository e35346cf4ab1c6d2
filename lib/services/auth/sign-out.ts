import { getDb } from "@/db/client";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { endSession } from "./sessions";

/** Ends the session a browser signs out of, on the server, so a copy of its cookie stops working too. */
export async function signOut({ ctx }: { ctx: ServiceContext }): Promise<void> {
  const sessionId = ctx.actor.sessionId;
  if (!sessionId) return;
  await getDb().transaction(async (tx) => {
    await endSession(tx, sessionId, "sign_out");
    await emitAudit(tx, ctx, { action: "auth.sign_out", target: { type: "user", id: ctx.actor.id }, params: { sessionId } });
  });
}
