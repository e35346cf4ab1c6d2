import type { ReindexPolicy } from "@/db/schema/collections";
import { DEFAULT_THRESHOLDS, type ValidationThresholds } from "./validate";

export type ResolvedPolicy = ValidationThresholds & { approvalTimeoutHours: number; rollbackWindowHours: number; distinctApprover: boolean };

export const DEFAULT_POLICY: ResolvedPolicy = { ...DEFAULT_THRESHOLDS, approvalTimeoutHours: 24, rollbackWindowHours: 24, distinctApprover: false };

/** A collection's reindex rules, with the defaults for what it leaves unset. */
export const resolvePolicy = (policy: ReindexPolicy | null | undefined): ResolvedPolicy => ({ ...DEFAULT_POLICY, ...Object.fromEntries(Object.entries(policy ?? {}).filter(([, v]) => v !== undefined && v !== null)) });
