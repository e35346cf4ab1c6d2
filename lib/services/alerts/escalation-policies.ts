import { asc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { escalationPolicies, notificationChannels } from "@/db/schema/alerts";
import { can } from "@/lib/auth/rbac";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, forbidden, notFound, ServiceError } from "../errors";
import { authorize, parseInput, withTransaction } from "../verb";
import { CreateEscalationPolicyInput, EscalationPolicyIdInput } from "./schemas";

/** Adds an escalation policy (admins): ordered levels, each its channels and its delay after the level before. */
export async function createEscalationPolicy({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "escalation_policy.create", input);
  const data = await parseInput(ctx, "escalation_policy.create", CreateEscalationPolicyInput, input);
  return withTransaction(ctx, "escalation_policy.create", async (tx) => {
    const [taken] = await tx.select({ id: escalationPolicies.id }).from(escalationPolicies).where(eq(escalationPolicies.name, data.name));
    if (taken) throw conflict("A policy with this name exists.", { name: ["Another policy has this name."] });
    const ids = [...new Set(data.levels.flatMap((l) => l.channelIds))];
    const found = new Set((await tx.select({ id: notificationChannels.id }).from(notificationChannels).where(inArray(notificationChannels.id, ids))).map((c) => c.id));
    const errors = Object.fromEntries(data.levels.flatMap((l, i) => (l.channelIds.some((id) => !found.has(id)) ? [[`levels.${i}.channelIds`, ["No such channel."]]] : [])));
    if (Object.keys(errors).length) throw new ServiceError("invalid", "Some fields are invalid.", errors);
    const [policy] = await tx.insert(escalationPolicies).values({ name: data.name, levels: data.levels, createdBy: ctx.actor.id }).returning();
    await emitAudit(tx, ctx, { action: "escalation_policy.create", target: { type: "escalation_policy", id: policy!.id }, params: { name: data.name, levels: data.levels } });
    return policy!;
  });
}

/** Deletes a policy (admins); its rules keep their own channels and stop escalating. */
export async function deleteEscalationPolicy({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "escalation_policy.delete", input);
  const { policyId } = await parseInput(ctx, "escalation_policy.delete", EscalationPolicyIdInput, input);
  return withTransaction(ctx, "escalation_policy.delete", async (tx) => {
    const [policy] = await tx.delete(escalationPolicies).where(eq(escalationPolicies.id, policyId)).returning();
    if (!policy) throw notFound("The escalation policy");
    await emitAudit(tx, ctx, { action: "escalation_policy.delete", target: { type: "escalation_policy", id: policyId }, params: { name: policy.name, levels: policy.levels } });
    return { deleted: policyId };
  });
}

export async function listEscalationPolicies({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "alert.configure")) throw forbidden();
  return getDb().select().from(escalationPolicies).orderBy(asc(escalationPolicies.name)).limit(1000);
}
