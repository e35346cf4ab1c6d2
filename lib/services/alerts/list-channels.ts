import { and, asc, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { alertDeliveries, notificationChannels } from "@/db/schema/alerts";
import { users } from "@/db/schema/users";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { parseReadInput } from "../verb";
import { publicChannel } from "./channel-helpers";
import { ListDeliveriesInput } from "./channel-schemas";

/** Every channel by name, secrets masked (admins). */
export async function listChannels({ ctx }: { ctx: ServiceContext }) {
  if (!can(ctx.actor.role, "alert.configure")) throw forbidden();
  return (await getDb().select().from(notificationChannels).orderBy(asc(notificationChannels.name)).limit(1000)).map(publicChannel);
}

/** The delivery log, newest first: of one channel, one alert, or all, users told by escalation included (operators read it to see who was told). */
export async function listDeliveries({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  if (!can(ctx.actor.role, "alert.acknowledge")) throw forbidden();
  const { channelId, alertId, limit } = parseReadInput(ListDeliveriesInput, input ?? {});
  return getDb()
    .select({ delivery: alertDeliveries, channelName: notificationChannels.name, channelType: notificationChannels.type, userName: users.name })
    .from(alertDeliveries)
    // A user named by an escalation level is told without a channel: the row names the user and the address.
    .leftJoin(notificationChannels, eq(notificationChannels.id, alertDeliveries.channelId))
    .leftJoin(users, eq(users.id, alertDeliveries.userId))
    .where(and(channelId ? eq(alertDeliveries.channelId, channelId) : undefined, alertId ? eq(alertDeliveries.alertId, alertId) : undefined))
    .orderBy(desc(alertDeliveries.createdAt), desc(alertDeliveries.attempt))
    .limit(limit);
}
