import { z } from "zod";
import { ALERT_STATUSES } from "@/db/schema/alerts";

const Reason = z.string().trim().min(1, { message: "Say why, in a few words." }).max(500, { message: "At most 500 characters." });

export const AcknowledgeAlertInput = z.object({ alertId: z.uuid({ message: "Unknown alert." }), reason: Reason });
export const ResolveAlertInput = z.object({ alertId: z.uuid({ message: "Unknown alert." }), reason: Reason });
export const AckByLinkInput = z.object({ alertId: z.uuid({ message: "Unknown alert." }), token: z.string().min(1).max(500), reason: z.string().trim().max(500).default("") });
export const AlertIdInput = z.object({ alertId: z.uuid({ message: "Unknown alert." }) });
export const ListAlertsInput = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
