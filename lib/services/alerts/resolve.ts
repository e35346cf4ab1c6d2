import { eq } from "drizzle-orm";
import { alerts } from "@/db/schema/alerts";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { ResolveAlertInput } from "./alert-schemas";
import { lockAlert, recordTransition, sendResolved } from "./alert-transitions";

/**
 * Resolves an alert by hand (operators), clearing its acknowledgement, and tells the rule's
 * channels. A condition that still holds fires again at the next evaluation, as a new firing.
 */
export async function resolveAlert({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.acknowledge", "alert.resolve", input);
  const { alertId, reason } = await parseInput(ctx, "alert.resolve", ResolveAlertInput, input);
  const { alert, rule, wasFiring } = await withTransaction(ctx, "alert.resolve", async (tx) => {
    const { alert, rule } = await lockAlert(tx, alertId);
    if (alert.status === "resolved") throw conflict("This alert has already resolved.");
    const now = new Date();
    const [row] = await tx
      .update(alerts)
      .set({ status: "resolved", resolvedAt: now, resolvedBy: ctx.actor.email, resolveReason: reason, acknowledgedAt: null, acknowledgedBy: null, ackReason: null })
      .where(eq(alerts.id, alertId))
      .returning();
    await recordTransition(tx, { alert, to: "resolved", at: now, by: ctx.actor.email, reason });
    await emitAudit(tx, ctx, { action: "alert.resolve", target: { type: "alert", id: alertId }, params: { rule: rule.name, labels: alert.labels, from: alert.status, reason } });
    return { alert: row!, rule, wasFiring: alert.status !== "pending" };
  });
  if (wasFiring) await sendResolved(ctx, alert, rule);
  return alert;
}
