import { sql } from "drizzle-orm";
import { roleQuotas } from "@/db/schema/quotas";
import type { Limits } from "@/lib/resources/quotas";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { authorize, parseInput, withTransaction } from "../verb";
import { readQuotas } from "./get";
import { UpdateQuotasInput } from "./schemas";

const limitsOnly = ({ maxConcurrentOperations, maxPointsPerCollection, maxCollections }: Limits): Limits => ({ maxConcurrentOperations, maxPointsPerCollection, maxCollections });

/**
 * Sets the limits of the roles given (admins, Settings → Quotas or `PUT /api/v1/quotas`), each
 * audited with its old and new values. Checks already under way are not affected; the next start is.
 */
export async function updateQuotas({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "quota.manage", "quota.update", input);
  const data = await parseInput(ctx, "quota.update", UpdateQuotasInput, input);
  return withTransaction(ctx, "quota.update", async (tx) => {
    // Two admins saving at once: each audit entry's "from" is what the other left.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('stevedore.quota-settings'))`);
    const before = await readQuotas(tx);
    for (const quota of data.quotas) {
      const limits = limitsOnly(quota);
      await tx
        .insert(roleQuotas)
        .values({ role: quota.role, ...limits, updatedBy: ctx.actor.id })
        .onConflictDoUpdate({ target: roleQuotas.role, set: { ...limits, updatedBy: ctx.actor.id, updatedAt: new Date() } });
      const from = limitsOnly(before.find((b) => b.role === quota.role)!);
      await emitAudit(tx, ctx, { action: "quota.update", target: { type: "role_quota", id: quota.role }, params: { role: quota.role, from, to: limits } });
    }
    return readQuotas(tx);
  });
}
