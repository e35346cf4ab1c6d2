import { asc, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { escalationPolicies, notificationChannels } from "@/db/schema/alerts";
import { users } from "@/db/schema/users";
import { can } from "@/lib/auth/rbac";
import { emitAudit } from "../audit/emit";
import type { ServiceContext } from "../context";
import { conflict, forbidden, notFound, ServiceError } from "../errors";
import { authorize, parseInput, parseReadInput, withTransaction } from "../verb";
import { CreateEscalationPolicyInput, EscalationPolicyIdInput, UpdateEscalationPolicyInput } from "./schemas";
import type { Tx } from "@/db/client";
import type { EscalationLevel } from "@/db/schema/alerts";

/** Adds an escalation policy (admins): ordered levels, each its channels and users and its delay after the level before. */
export async function createEscalationPolicy({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "escalation_policy.create", input);
  const data = await parseInput(ctx, "escalation_policy.create", CreateEscalationPolicyInput, input);
  return withTransaction(ctx, "escalation_policy.create", async (tx) => {
    await assertPolicyNameFree(tx, data.name);
    await assertLevelTargetsExist(tx, data.levels);
    const [policy] = await tx.insert(escalationPolicies).values({ name: data.name, levels: data.levels, repeatLastLevel: data.repeatLastLevel, createdBy: ctx.actor.id }).returning();
    await emitAudit(tx, ctx, { action: "escalation_policy.create", target: { type: "escalation_policy", id: policy!.id }, params: { name: data.name, levels: data.levels, repeatLastLevel: data.repeatLastLevel } });
    return policy!;
  });
}

/** Changes the fields given of a policy (admins), audited with before and after; escalations already running keep the levels they loaded. */
export async function updateEscalationPolicy({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "alert.configure", "escalation_policy.update", input);
  const { policyId, ...changes } = await parseInput(ctx, "escalation_policy.update", UpdateEscalationPolicyInput, input);
  return withTransaction(ctx, "escalation_policy.update", async (tx) => {
    const [before] = await tx.select().from(escalationPolicies).where(eq(escalationPolicies.id, policyId)).for("update");
    if (!before) throw notFound("The escalation policy");
    if (changes.name !== undefined) await assertPolicyNameFree(tx, changes.name, policyId);
    if (changes.levels) await assertLevelTargetsExist(tx, changes.levels);
    const levels = changes.levels ?? before.levels;
    const repeat = changes.repeatLastLevel ?? before.repeatLastLevel;
    if (repeat > 0 && (levels.at(-1)?.delaySeconds ?? 0) < 1) throw new ServiceError("invalid", "Some fields are invalid.", { repeatLastLevel: ["A repeated last level needs a delay of 1 s or more (the time between repeats)."] });
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const [policy] = await tx.update(escalationPolicies).set({ ...set, updatedAt: new Date() }).where(eq(escalationPolicies.id, policyId)).returning();
    const audited = (p: typeof before) => ({ name: p.name, levels: p.levels, repeatLastLevel: p.repeatLastLevel });
    await emitAudit(tx, ctx, { action: "escalation_policy.update", target: { type: "escalation_policy", id: policyId }, params: { from: audited(before), to: audited(policy!) } });
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

export async function getEscalationPolicy({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "alert.configure")) throw forbidden();
  const { policyId } = parseReadInput(EscalationPolicyIdInput, input);
  const [policy] = await getDb().select().from(escalationPolicies).where(eq(escalationPolicies.id, policyId));
  if (!policy) throw notFound("The escalation policy");
  return policy;
}

async function assertPolicyNameFree(tx: Tx, name: string, exceptId?: string) {
  const [taken] = await tx.select({ id: escalationPolicies.id }).from(escalationPolicies).where(eq(escalationPolicies.name, name));
  if (taken && taken.id !== exceptId) throw conflict("A policy with this name exists.", { name: ["Another policy has this name."] });
}

/** Each level's channels exist and its users exist and are enabled; otherwise a field error on that level, nothing stored. */
async function assertLevelTargetsExist(tx: Tx, levels: EscalationLevel[]) {
  const channelIds = [...new Set(levels.flatMap((l) => l.channelIds))];
  const userIds = [...new Set(levels.flatMap((l) => l.userIds ?? []))];
  const channels = new Set(channelIds.length ? (await tx.select({ id: notificationChannels.id }).from(notificationChannels).where(inArray(notificationChannels.id, channelIds))).map((c) => c.id) : []);
  const found = userIds.length ? await tx.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(inArray(users.id, userIds)) : [];
  const enabled = new Set(found.filter((u) => !u.disabledAt).map((u) => u.id));
  const disabled = new Set(found.filter((u) => u.disabledAt).map((u) => u.id));
  const errors: Record<string, string[]> = {};
  levels.forEach((l, i) => {
    if (l.channelIds.some((id) => !channels.has(id))) errors[`levels.${i}.channelIds`] = ["No such channel."];
    const bad = (l.userIds ?? []).filter((id) => !enabled.has(id));
    if (bad.length) errors[`levels.${i}.userIds`] = [bad.some((id) => !disabled.has(id)) ? "No such user." : "This user is disabled."];
  });
  if (Object.keys(errors).length) throw new ServiceError("invalid", "Some fields are invalid.", errors);
}

/** The users a level may name (admins picking them in the policy form): enabled accounts, by name. */
export async function listNotifiableUsers({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "alert.configure")) throw forbidden();
  return getDb().select({ id: users.id, name: users.name, email: users.email }).from(users).where(isNull(users.disabledAt)).orderBy(asc(users.name)).limit(1000);
}
