import type { Executor } from "@/db/client";
import type { Actor } from "@/lib/services/context";
import { conflict } from "@/lib/services/errors";
import { checkDisk, lockDiskReservations } from "./disk";
import { quotaRefusals, type QuotaCheck } from "./quotas";

/** Quotas to check, and the disk the operation will reserve (checked, under the reservations' lock, when above 0). */
export type LimitsCheck = QuotaCheck & { diskBytes?: number };

/**
 * In the transaction that starts an operation, before it writes anything: refuses with every limit
 * it would pass, on `_form` (the forms show it above their fields), so nothing is created. The
 * disk lock is held to the commit, where the operation row carries its reservation.
 */
export async function refuseBeyondLimits(tx: Executor, actor: Actor, check: LimitsCheck): Promise<void> {
  const refusals = await quotaRefusals(tx, actor, check);
  if (check.diskBytes && check.diskBytes > 0) {
    await lockDiskReservations(tx);
    const disk = await checkDisk(tx, check.diskBytes);
    if (!disk.ok) refusals.push(disk.message!);
  }
  if (refusals.length) throw conflict(refusals.join(" "), { _form: refusals });
}
