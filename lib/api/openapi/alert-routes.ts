import { AcknowledgeAlertInput, ListAlertsInput, ResolveAlertInput } from "@/lib/services/alerts/alert-schemas";
import type { ApiRouteSpec } from "./registry";
import * as R from "./responses";

/** The alerting routes (issue 13), with the schemas their verbs parse. */
export const ALERT_ROUTES: ApiRouteSpec[] = [
  { method: "GET", path: "/api/v1/alerts", operationId: "listAlerts", tag: "alerts", summary: "Alerts, the most recently changed first", permission: "operation.read", query: ListAlertsInput, responses: [{ status: 200, description: "Alerts with their rule", schema: R.AnyList }], errors: [400] },
  { method: "GET", path: "/api/v1/alerts/{id}", operationId: "getAlert", tag: "alerts", summary: "An alert with its rule", permission: "operation.read", responses: [{ status: 200, description: "The alert", schema: R.AnyObject }], errors: [400, 404] },
  { method: "POST", path: "/api/v1/alerts/{id}/acknowledge", operationId: "acknowledgeAlert", tag: "alerts", summary: "Acknowledge a firing alert with a reason (stops escalation)", permission: "alert.acknowledge", body: AcknowledgeAlertInput, omit: ["alertId"], responses: [{ status: 200, description: "The alert", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "POST", path: "/api/v1/alerts/{id}/resolve", operationId: "resolveAlert", tag: "alerts", summary: "Resolve an alert by hand with a reason", permission: "alert.acknowledge", body: ResolveAlertInput, omit: ["alertId"], responses: [{ status: 200, description: "The alert", schema: R.AnyObject }], errors: [400, 404, 409] },
];
