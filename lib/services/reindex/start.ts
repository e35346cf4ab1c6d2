import { z } from "zod";
import { reindexRequested } from "@/inngest/events";
import { getEmbedder } from "@/lib/embeddings";
import { estimateReindex, type ReindexEstimate } from "@/lib/reindex/estimate";
import type { ReindexParams } from "@/lib/reindex/params";
import { activeVersionOf, versionSettings, type VersionSettings } from "@/lib/reindex/versions";
import { refuseBeyondLimits } from "@/lib/resources/check";
import { checkDisk, type DiskCheck } from "@/lib/resources/disk";
import { quotaRefusals } from "@/lib/resources/quotas";
import { getDb } from "@/db/client";
import { DISTANCES, type Collection } from "@/db/schema/collections";
import type { ServiceContext } from "../context";
import { conflict, ServiceError } from "../errors";
import { startOperation } from "../operation/start";
import { authorize, parseInput, parseReadInput } from "../verb";
import { EmbeddingModel } from "../collection/schemas";
import { findCollection } from "../collection/find";

export const ReindexInput = z.object({
  collectionId: z.uuid(),
  settings: z
    .object({
      embeddingModel: EmbeddingModel.optional(),
      chunkSize: z.coerce.number().int().min(100, { message: "At least 100 characters." }).max(20_000, { message: "At most 20,000 characters." }).optional(),
      chunkOverlap: z.coerce.number().int().min(0, { message: "Cannot be negative." }).max(5_000).optional(),
      distance: z.enum(DISTANCES, { message: "Use cosine, dot or euclid." }).optional(),
    })
    .default({}),
  requireApproval: z.boolean().default(false),
  throttleDocsPerS: z.coerce.number().min(1, { message: "At least 1 document per second, or leave it empty." }).max(1_000_000).nullable().default(null),
  dryRun: z.boolean().default(false),
  /** The collection's name, typed by the operator; required unless dryRun. */
  confirm: z.string().optional(),
});

export type SettingsDiff = Array<{ field: keyof VersionSettings; from: string | number; to: string | number }>;

export type ReindexPlan = { current: VersionSettings; next: VersionSettings; diff: SettingsDiff; estimate: ReindexEstimate; disk: DiskCheck; liveVersion: number | null };

function nextSettings(collection: Collection, input: z.infer<typeof ReindexInput>["settings"]): VersionSettings {
  const next = { ...versionSettings(collection), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as VersionSettings;
  try {
    next.dimension = getEmbedder(next.embeddingModel).dimension;
  } catch (err) {
    throw new ServiceError("invalid", "That embedding model is not available.", { "settings.embeddingModel": [err instanceof Error ? err.message : "Not available."] });
  }
  if (next.chunkOverlap >= next.chunkSize) throw new ServiceError("invalid", "Some fields are invalid.", { "settings.chunkOverlap": ["The overlap must be smaller than the chunk size."] });
  return next;
}

/** What a reindex would change and take: the settings diff, the estimate, the disk check. */
async function planReindex(collection: Collection, data: z.infer<typeof ReindexInput>): Promise<ReindexPlan> {
  const current = versionSettings(collection);
  const next = nextSettings(collection, data.settings);
  const diff: SettingsDiff = (Object.keys(current) as (keyof VersionSettings)[]).filter((k) => current[k] !== next[k]).map((field) => ({ field, from: current[field], to: next[field] }));
  const estimate = await estimateReindex(collection, next, data.throttleDocsPerS);
  const disk = await checkDisk(getDb(), estimate.diskBytes);
  const live = await activeVersionOf(collection.id);
  return { current, next, diff, estimate, disk, liveVersion: live?.version ?? null };
}

const REINDEX_POINTS_ADVICE = "Choose a larger chunk size, or ask an admin to raise the limit.";

const NO_CHANGE = "These are the current settings: change at least one.";

/** The refusals a start would meet; the quotas' here are read without their lock: the start checks them again under it. */
async function refusalsOf(plan: ReindexPlan, ctx: ServiceContext): Promise<Record<string, string[]>> {
  const form = [
    ...(plan.liveVersion === null || plan.estimate.documents === 0 ? ["Nothing is indexed in this collection yet: index a source first."] : []),
    ...(plan.disk.ok ? [] : [plan.disk.message!]),
    ...(await quotaRefusals(getDb(), ctx.actor, { operations: true, points: { collection: { points: plan.estimate.currentPoints }, total: plan.estimate.points, advice: REINDEX_POINTS_ADVICE } })),
  ];
  return form.length ? { _form: form } : {};
}

/** The dry run (`dryRun: true`): the settings diff, the estimate and the resource checks, with the refusals a start would meet; nothing starts. */
export async function previewReindex({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "operation.start", input);
  const data = parseReadInput(ReindexInput, input);
  const plan = await planReindex(await findCollection(data.collectionId), data);
  const refusals: Record<string, string[]> = { ...(plan.diff.length === 0 ? { settings: [NO_CHANGE] } : {}), ...(await refusalsOf(plan, ctx)) };
  return { dryRun: true as const, ...plan, refusals };
}

/**
 * REINDEX from the form or `POST /api/v1/collections/:id/reindex`. The operator must type the
 * collection's name, and a refusal (no change, nothing indexed, a quota, not enough disk) comes
 * back on the field it is about before anything starts. The disk the estimate needs is
 * reserved on the operation, under a lock, so two large operations cannot both pass one check.
 */
export async function startReindex({ ctx, input }: { ctx: ServiceContext; input: unknown }) {
  await authorize(ctx, "operation.start", "operation.start", input);
  const data = await parseInput(ctx, "operation.start", ReindexInput, input);
  const collection = await findCollection(data.collectionId);
  const plan = await planReindex(collection, data);
  const refusals = await refusalsOf(plan, ctx);
  if (plan.diff.length === 0) throw new ServiceError("invalid", NO_CHANGE, { settings: [NO_CHANGE] });
  if ((data.confirm ?? "").trim() !== collection.name) throw new ServiceError("invalid", "Type the collection's name to confirm.", { confirm: [`Type “${collection.name}” to confirm.`] });
  if (Object.keys(refusals).length) throw conflict(refusals._form!.join(" "), refusals);
  const params: ReindexParams = { settings: plan.next, requireApproval: data.requireApproval, throttleDocsPerS: data.throttleDocsPerS, estimate: plan.estimate };
  const operation = await startOperation(ctx, {
    type: "REINDEX",
    collectionId: collection.id,
    event: { name: reindexRequested.name },
    inTransaction: async (tx) => {
      await refuseBeyondLimits(tx, ctx.actor, { points: { collection, name: collection.name, total: plan.estimate.points, advice: REINDEX_POINTS_ADVICE }, diskBytes: plan.estimate.diskBytes });
      return { params: { ...params, collection: collection.name, diff: plan.diff }, reservedBytes: plan.estimate.diskBytes };
    },
  });
  return { operationId: operation.id, diff: plan.diff, estimate: plan.estimate };
}
