import { and, asc, eq, gte, isNotNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { healthSamples } from "@/db/schema/health-samples";
import { operations } from "@/db/schema/operations";
import { FROM_SAMPLES, previewFirings, type HistoricPoint } from "@/lib/alerts/preview";
import type { SourceName } from "@/lib/alerts/sources";
import { can } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { parseReadInput } from "../verb";
import { FROM_RECORDS } from "./preview-history";
import { PreviewRuleInput } from "./schemas";

/** Firings listed at most (the count is always whole). */
const LISTED = 200;

/** The sampler's minutes of the window, each turned into the source's series. */
async function samplePoints(source: SourceName, since: Date): Promise<HistoricPoint[] | null> {
  const seriesOf = FROM_SAMPLES[source];
  if (!seriesOf) return null;
  const db = getDb();
  const samples = await db
    .select({ at: healthSamples.at, status: healthSamples.status, collections: healthSamples.collections, runsWaiting: healthSamples.runsWaiting, breakers: healthSamples.breakers })
    .from(healthSamples)
    .where(gte(healthSamples.at, since))
    .orderBy(asc(healthSamples.at))
    .limit(24 * 60 * 4);
  const failedFinishes =
    source === "operations_failed_15m"
      ? await db
          .select({ collection: collections.name, at: operations.finishedAt })
          .from(operations)
          .innerJoin(collections, eq(collections.id, operations.collectionId))
          .where(and(eq(operations.status, "failed"), isNotNull(operations.finishedAt), gte(operations.finishedAt, new Date(since.getTime() - 15 * 60_000))))
          .limit(100_000)
      : [];
  const finishes = failedFinishes.map((f) => ({ collection: f.collection, at: f.at! }));
  return samples.flatMap((s) => {
    const series = seriesOf({ ...s, failedFinishes: finishes });
    return series ? [{ at: s.at, series }] : [];
  });
}

/**
 * What a rule would have fired over the last 24 h: replayed over the sampler's stored minutes
 * (health_samples, with failed operations for operations_failed_15m), or, for sources about
 * operations and backups, over their own rows' times; every source has a past to replay.
 */
export async function previewAlertRule({ ctx, input, now = new Date() }: { ctx: ServiceContext; input: unknown; now?: Date }) {
  if (!can(ctx.actor.role, "alert.configure")) throw forbidden();
  const rule = parseReadInput(PreviewRuleInput, input);
  const source = rule.source as SourceName;
  const since = new Date(now.getTime() - 24 * 3600_000);
  const points = (await samplePoints(source, since)) ?? (await FROM_RECORDS[source]!(since, now));
  const firings = previewFirings(rule, points);
  return { supported: true as const, source: rule.source, since, samples: points.length, firings: firings.slice(-LISTED).reverse(), total: firings.length, message: null };
}
