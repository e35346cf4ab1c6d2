import { z } from "zod";
import { CreateSilenceInput, CreateWindowInput, ExtendSilenceInput, ListSilencesInput, ListWindowsInput, PreviewSilenceInput, UpdateWindowInput } from "@/lib/services/silences/schemas";
import type { ApiRouteSpec } from "./registry";
import * as R from "./responses";

/** `{ "expire": true }`, or a new end. */
const PatchSilence = z.union([z.object({ expire: z.literal(true) }), ExtendSilenceInput]);

/** Silences, maintenance windows and what they hold (issue 13 item 6). */
export const SILENCE_ROUTES: ApiRouteSpec[] = [
  { method: "GET", path: "/api/v1/silences", operationId: "listSilences", tag: "alerts", summary: "Silences: active, pending and those ended in the last 30 days", permission: "operation.read", query: ListSilencesInput, responses: [{ status: 200, description: "Silences with their state", schema: R.AnyList }], errors: [400] },
  { method: "POST", path: "/api/v1/silences", operationId: "createSilence", tag: "alerts", summary: "Silence the alerts the matchers match (=, !=, =~, !~; RE2 regexes), once or weekly", permission: "silence.manage", body: CreateSilenceInput, responses: [{ status: 200, description: "The silence", schema: R.AnyObject }], errors: [400] },
  { method: "POST", path: "/api/v1/silences/preview", operationId: "previewSilence", tag: "alerts", summary: "Which open alerts these matchers would silence now", permission: "operation.read", body: PreviewSilenceInput, responses: [{ status: 200, description: "`{matched, examined, alerts}`", schema: R.AnyObject }], errors: [400] },
  { method: "GET", path: "/api/v1/silences/{id}", operationId: "getSilence", tag: "alerts", summary: "A silence with the notifications it held", permission: "operation.read", responses: [{ status: 200, description: "The silence", schema: R.AnyObject }], errors: [400, 404] },
  { method: "PATCH", path: "/api/v1/silences/{id}", operationId: "changeSilence", tag: "alerts", summary: "Expire a silence now (`expire: true`) or move its end (`endsAt`)", permission: "silence.manage", body: PatchSilence, omit: ["silenceId"], responses: [{ status: 200, description: "The silence", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "DELETE", path: "/api/v1/silences/{id}", operationId: "deleteSilence", tag: "alerts", summary: "Delete a silence", permission: "silence.manage", responses: [{ status: 200, description: "Deleted", schema: R.AnyObject }], errors: [404] },
  { method: "GET", path: "/api/v1/maintenance-windows", operationId: "listMaintenanceWindows", tag: "alerts", summary: "Maintenance windows: open, scheduled, automatic (by an operation) and those ended in the last 7 days", permission: "operation.read", query: ListWindowsInput, responses: [{ status: 200, description: "Windows with their state", schema: R.AnyList }], errors: [400] },
  { method: "POST", path: "/api/v1/maintenance-windows", operationId: "createMaintenanceWindow", tag: "alerts", summary: "Plan a window for a collection (or all), once or weekly", permission: "silence.manage", body: CreateWindowInput, responses: [{ status: 200, description: "The window", schema: R.AnyObject }], errors: [400] },
  { method: "GET", path: "/api/v1/maintenance-windows/{id}", operationId: "getMaintenanceWindow", tag: "alerts", summary: "A maintenance window", permission: "operation.read", responses: [{ status: 200, description: "The window", schema: R.AnyObject }], errors: [400, 404] },
  { method: "PATCH", path: "/api/v1/maintenance-windows/{id}", operationId: "updateMaintenanceWindow", tag: "alerts", summary: "End a planned window now (`end: true`) or move its end", permission: "silence.manage", body: UpdateWindowInput, omit: ["windowId"], responses: [{ status: 200, description: "The window", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "DELETE", path: "/api/v1/maintenance-windows/{id}", operationId: "deleteMaintenanceWindow", tag: "alerts", summary: "Delete a planned window (an automatic one ends with its operation)", permission: "silence.manage", responses: [{ status: 200, description: "Deleted", schema: R.AnyObject }], errors: [404, 409] },
  { method: "GET", path: "/api/v1/suppressed-alerts", operationId: "listSuppressedAlerts", tag: "alerts", summary: "Open alerts a silence or window holds now, by what and until when", permission: "operation.read", responses: [{ status: 200, description: "Suppressed alerts", schema: R.AnyList }] },
];
