import { and, asc, eq, gte, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { healthSamples } from "@/db/schema/health-samples";
import { operations } from "@/db/schema/operations";
import { PREVIEWABLE, previewFirings } from "@/lib/alerts/preview";
import type { SourceName } from "@/lib/alerts/sources";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { parseReadInput } from "../verb";
import { PreviewRuleInput } from "./schemas";

/** Firings listed at most (the count is always whole). */
const LISTED = 200;

/**
 * What a rule would have fired over the last 24 h, replayed over the sampler's stored minutes
 * (health_samples) and, for failed operations, the operations table. A source with no stored
 * history (breaker state, backups, the executor queue, event sources) answers `supported: false`.
 */
export async function previewAlertRule({ ctx, input, now = new Date() }: { ctx: ServiceContext; input: unknown; now?: Date }) {
  if (!can(ctx.actor.role, "alert.configure")) throw forbidden();
  const rule = parseReadInput(PreviewRuleInput, input);
  const seriesOf = PREVIEWABLE[rule.source as SourceName];
  const since = new Date(now.getTime() - 24 * 3600_000);
  if (!seriesOf) return { supported: false as const, source: rule.source, since, samples: 0, firings: [], total: 0, message: "This source keeps no history, so it cannot be previewed; it is read live at each evaluation." };
  const db = getDb();
  const samples = await db
    .select({ at: healthSamples.at, status: healthSamples.status, collections: healthSamples.collections })
    .from(healthSamples)
    .where(gte(healthSamples.at, since))
    .orderBy(asc(healthSamples.at))
    .limit(24 * 60 * 4);
  const failedFinishes =
    rule.source === "operations_failed_15m"
      ? await db
          .select({ collection: collections.name, at: operations.finishedAt })
          .from(operations)
          .innerJoin(collections, eq(collections.id, operations.collectionId))
          .where(and(eq(operations.status, "failed"), isNotNull(operations.finishedAt), gte(operations.finishedAt, new Date(since.getTime() - 15 * 60_000))))
          .limit(100_000)
      : [];
  const finishes = failedFinishes.map((f) => ({ collection: f.collection, at: f.at! }));
  const points = samples.map((s) => ({ at: s.at, series: seriesOf({ ...s, failedFinishes: finishes }) }));
  const firings = previewFirings(rule, points);
  return { supported: true as const, source: rule.source, since, samples: samples.length, firings: firings.slice(-LISTED).reverse(), total: firings.length, message: null };
}
