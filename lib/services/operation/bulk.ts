import { inArray, type SQL } from "drizzle-orm";
import { z } from "zod";
import { operations } from "@/db/schema/operations";
import { OperationFilter, operationConditions, resolveFilter } from "./list";

/** Selected rows travel as ids; more than this goes by filter. */
export const MAX_BULK_IDS = 1000;

/**
 * A bulk action's body: the selected rows (`ids`) or everything matching `filter` (the job
 * history's filter object), and `dryRun` for the counts the confirm dialog shows.
 */
export const BulkInput = z
  .object({
    ids: z.array(z.uuid({ message: "Not an operation id." })).min(1, { message: "Select at least one operation." }).max(MAX_BULK_IDS, { message: `Select at most ${MAX_BULK_IDS}, or act on the filter.` }).optional(),
    filter: OperationFilter.optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((v) => (v.ids === undefined) !== (v.filter === undefined), { message: "Give the selected ids or a filter, not both." });
export type BulkInput = z.infer<typeof BulkInput>;

/** The rows a bulk action is about, re-evaluated on the server whenever it runs. */
export async function selectionConditions(input: BulkInput): Promise<SQL[]> {
  return input.ids ? [inArray(operations.id, input.ids)] : operationConditions(await resolveFilter(input.filter!));
}

/** What the audit entry records of the selection: the filter as given, or the ids. */
export const selectionOf = (input: BulkInput) => (input.ids ? { ids: input.ids } : { filter: input.filter! });

export type Skipped = { reason: string; count: number };

export function tally(reasons: Map<string, number>): Skipped[] {
  return [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

export const bump = (reasons: Map<string, number>, reason: string, by = 1) => reasons.set(reason, (reasons.get(reason) ?? 0) + by);
