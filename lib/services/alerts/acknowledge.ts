import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { authorize, parseInput, withTransaction } from "../verb";
import { AcknowledgeAlertInput } from "./alert-schemas";
import { lockAlert, markAcknowledged, sendAcknowledged } from "./alert-transitions";

/** "I have it" (operators, the alert page or `POST /api/v1/alerts/{id}/acknowledge`): stops escalation; cleared when the alert resolves. */
export async function acknowledgeAlert({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.acknowledge", "alert.acknowledge", input);
  const { alertId, reason } = await parseInput(ctx, "alert.acknowledge", AcknowledgeAlertInput, input);
  const alert = await withTransaction(ctx, "alert.acknowledge", async (tx) => {
    const { alert, rule } = await lockAlert(tx, alertId);
    const acked = await markAcknowledged(tx, alert, ctx.actor.email, reason);
    await emitAudit(tx, ctx, { action: "alert.acknowledge", target: { type: "alert", id: alertId }, params: { rule: rule.name, labels: alert.labels, reason } });
    return acked;
  });
  await sendAcknowledged(ctx, alert, ctx.actor.email);
  return alert;
}
