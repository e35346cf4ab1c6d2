import { z } from "zod";
import { DASHBOARD_RANGES, rangeWindow, type RangeWindow } from "@/components/charts/time-range";
import { can, type Permission } from "@/lib/auth/rbac";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";
import { parseReadInput } from "../verb";

export const DashboardInput = z.object({ range: z.enum(DASHBOARD_RANGES).default("24h") });

/** Every dashboard read: the permission, then the range, then the window it covers (ending now). */
export function dashboardWindow(ctx: ServiceContext, permission: Permission, input: unknown, now: Date = new Date()): RangeWindow {
  if (!can(ctx.actor.role, permission)) throw forbidden();
  return rangeWindow(parseReadInput(DashboardInput, input ?? {}).range, now);
}

/** The bucket width as a PostgreSQL interval literal, for date_bin(…, timestamptz 'epoch'). */
export const bucketInterval = (window: RangeWindow) => `${window.bucketMs / 1000} seconds`;

/** Operations finishing in a window started at most this long before it: bounds the scan of operations_created_idx. */
export const LONGEST_OPERATION = "7 days";
