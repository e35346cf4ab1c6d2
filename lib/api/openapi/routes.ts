import { z } from "zod";
import { ListAuditInput, AuditFilter } from "@/lib/services/audit/list";
import { CreateCollectionInput } from "@/lib/services/collection/create";
import { DeleteCollectionInput } from "@/lib/services/collection/delete";
import { DocumentFilter, ListDocumentsInput } from "@/lib/services/collection/documents-list";
import { RemoveSourceInput } from "@/lib/services/collection/remove-source";
import { RetryDocumentsInput } from "@/lib/services/collection/retry-documents";
import { AppendInput } from "@/lib/services/collection/append";
import { DirectorySource, SourceName } from "@/lib/services/collection/schemas";
import { SearchInput } from "@/lib/services/collection/search";
import { UploadInput } from "@/lib/services/collection/upload";
import { BulkInput } from "@/lib/services/operation/bulk";
import { ListOperationsInput, OperationFilter } from "@/lib/services/operation/list";
import { OperationLogFilter, OperationLogsInput } from "@/lib/services/operation/logs";
import { UpdateQuotasInput } from "@/lib/services/quota/schemas";
import { DecideInput } from "@/lib/services/reindex/decide";
import { CreateGoldenQueryInput } from "@/lib/services/reindex/golden";
import { PolicyInput } from "@/lib/services/reindex/policy";
import { ReindexInput } from "@/lib/services/reindex/start";
import { KeepVersionInput, RollbackInput } from "@/lib/services/reindex/versions";
import { ListRunsInput } from "@/lib/services/run/list";
import { CreateTokenInput } from "@/lib/services/api-token/create";
import { CreateUserInput } from "@/lib/services/user/create";
import { UpdateUserInput } from "@/lib/services/user/update";
import { ALERT_ROUTES } from "./alert-routes";
import { SILENCE_ROUTES } from "./silence-routes";
import { BACKUP_ROUTES } from "./backup-routes";
import type { ApiRouteSpec } from "./registry";
import * as R from "./responses";

const C = "/api/v1/collections/{id}";

/**
 * Every method an /api/v1 route file serves, in the order of the tree. `registry.test.ts` walks
 * `app/api/v1/**\/route.ts` and fails if a served method is missing here or an entry serves nothing.
 */
export const API_ROUTES: ApiRouteSpec[] = [
  { method: "GET", path: "/api/v1/openapi.json", operationId: "getOpenApi", tag: "meta", summary: "This document", permission: "public", responses: [{ status: 200, description: "The OpenAPI 3.1 document (not in the `{data}` envelope)." }] },
  { method: "GET", path: "/api/v1/me", operationId: "getMe", tag: "meta", summary: "Who the token or session acts as, with its role's permissions", permission: "signed-in", responses: [{ status: 200, description: "The actor", schema: R.Me }] },

  // Audit
  { method: "GET", path: "/api/v1/audit", operationId: "listAudit", tag: "audit", summary: "Audit entries, newest first, a page at a time", permission: "audit.read", query: ListAuditInput, responses: [{ status: 200, description: "A page with `total`", schema: R.AnyObject }], errors: [400] },
  { method: "GET", path: "/api/v1/audit/export", operationId: "exportAudit", tag: "audit", summary: "The filtered audit entries as CSV", permission: "audit.read", query: AuditFilter, responses: [{ status: 200, description: "CSV", csv: true }], errors: [400] },

  // Collections
  { method: "GET", path: "/api/v1/collections", operationId: "listCollections", tag: "collections", summary: "Collections with their document counts and last operation", permission: "collection.read", responses: [{ status: 200, description: "Collections by name", schema: z.array(R.CollectionListItem) }] },
  {
    method: "POST", path: "/api/v1/collections", operationId: "createCollection", tag: "collections", summary: "Create a collection and start indexing its first source", permission: "operation.start",
    description: "JSON with a directory source, or multipart with the same fields flat and the first source's `files`.",
    body: CreateCollectionInput,
    multipart: { fields: CreateCollectionInput.def.left.omit({ source: true, vectorLayout: true }).extend({ sourceName: SourceName.optional() }).and(CreateCollectionInput.def.right), files: "files" },
    responses: [{ status: 201, description: "The collection and its INDEX operation", schema: R.CollectionCreated }], errors: [400, 409],
  },
  { method: "GET", path: C, operationId: "getCollection", tag: "collections", summary: "A collection with its sources, versions, recent operations and stage counts", permission: "collection.read", responses: [{ status: 200, description: "The collection", schema: R.CollectionDetail }], errors: [404] },
  { method: "DELETE", path: C, operationId: "deleteCollection", tag: "collections", summary: "Delete a collection (its typed name confirms)", permission: "collection.delete", query: DeleteCollectionInput, omit: ["collectionId"], description: "`confirmName` may also come in a JSON body.", responses: [{ status: 200, description: "What was deleted", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "GET", path: `${C}/aliases`, operationId: "listAliases", tag: "versions", summary: "The alias history, newest first", permission: "collection.read", responses: [{ status: 200, description: "`{history}`", schema: R.AnyObject }], errors: [404] },
  { method: "GET", path: `${C}/dead-letters`, operationId: "listDeadLetters", tag: "documents", summary: "Dead documents counted by error stage and class", permission: "collection.read", responses: [{ status: 200, description: "The breakdown", schema: R.AnyObject }], errors: [404] },
  { method: "GET", path: `${C}/dead-letters/export`, operationId: "exportDeadLetters", tag: "documents", summary: "Dead documents as CSV, with whether a retry can help", permission: "collection.read", query: DocumentFilter.pick({ errorStage: true, errorClass: true }), responses: [{ status: 200, description: "CSV", csv: true }], errors: [400, 404] },
  { method: "GET", path: `${C}/documents`, operationId: "listDocuments", tag: "documents", summary: "Documents, filtered, a page at a time", permission: "collection.read", query: ListDocumentsInput, omit: ["collectionId"], responses: [{ status: 200, description: "A page with `total {count, exact}`", schema: R.AnyObject }], errors: [400, 404] },
  { method: "GET", path: `${C}/documents/export`, operationId: "exportDocuments", tag: "documents", summary: "The filtered documents as CSV", permission: "collection.read", query: DocumentFilter, omit: ["collectionId"], responses: [{ status: 200, description: "CSV", csv: true }], errors: [400, 404] },
  { method: "GET", path: `${C}/documents/{documentId}`, operationId: "getDocument", tag: "documents", summary: "A document and its stage events, oldest first", permission: "collection.read", responses: [{ status: 200, description: "The document's history", schema: R.AnyObject }], errors: [404] },
  { method: "GET", path: `${C}/golden-queries`, operationId: "listGoldenQueries", tag: "versions", summary: "The collection's golden queries", permission: "collection.read", responses: [{ status: 200, description: "Golden queries", schema: R.AnyList }], errors: [404] },
  { method: "POST", path: `${C}/golden-queries`, operationId: "createGoldenQuery", tag: "versions", summary: "Add a query every reindex must still answer with the expected documents", permission: "golden_query.manage", body: CreateGoldenQueryInput, omit: ["collectionId"], responses: [{ status: 201, description: "The golden query", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "DELETE", path: `${C}/golden-queries/{queryId}`, operationId: "deleteGoldenQuery", tag: "versions", summary: "Remove a golden query", permission: "golden_query.manage", responses: [{ status: 200, description: "Deleted", schema: R.AnyObject }], errors: [404] },
  { method: "GET", path: `${C}/golden-queries/{queryId}/try`, operationId: "tryGoldenQuery", tag: "versions", summary: "Run a golden query against the live version", permission: "collection.read", responses: [{ status: 200, description: "Top 10 documents and the expected ones' ranks", schema: R.AnyObject }], errors: [404] },
  { method: "GET", path: `${C}/reindex-policy`, operationId: "getReindexPolicy", tag: "versions", summary: "The reindex policy, its defaults and which fields are defaulted", permission: "collection.read", responses: [{ status: 200, description: "The policy", schema: R.AnyObject }], errors: [404] },
  { method: "PATCH", path: `${C}/reindex-policy`, operationId: "updateReindexPolicy", tag: "versions", summary: "Change the reindex policy (`null` restores a default)", permission: "collection.configure", body: PolicyInput, omit: ["collectionId"], responses: [{ status: 200, description: "The policy", schema: R.AnyObject }], errors: [400, 404] },
  {
    method: "POST", path: `${C}/reindex`, operationId: "startReindex", tag: "operations", summary: "Start a blue-green REINDEX, or preview it with `dryRun`", permission: "operation.start",
    description: "`confirm` must be the collection's name unless `dryRun`.", body: ReindexInput, omit: ["collectionId"],
    responses: [{ status: 202, description: "Started", schema: R.ReindexStarted }, { status: 200, description: "`dryRun`: the diff, estimate and refusals; nothing started", schema: R.ReindexPlan }], errors: [400, 404, 409],
  },
  { method: "POST", path: `${C}/retry`, operationId: "retryDocuments", tag: "documents", summary: "Put dead documents back into the pipeline", permission: "document.retry", body: RetryDocumentsInput, omit: ["collectionId"], responses: [{ status: 202, description: "Started", schema: R.OperationQueued }], errors: [400, 404, 409] },
  { method: "POST", path: `${C}/rollback`, operationId: "rollBackCollection", tag: "operations", summary: "Start a ROLLBACK to the version the last switch retired", permission: "operation.start", body: RollbackInput, omit: ["collectionId"], responses: [{ status: 202, description: "Started", schema: R.OperationQueued }], errors: [400, 404, 409] },
  { method: "POST", path: `${C}/search`, operationId: "searchCollection", tag: "collections", summary: "Search the live version", permission: "collection.read", body: SearchInput, omit: ["collectionId"], responses: [{ status: 200, description: "Results", schema: R.AnyObject }], errors: [400, 404] },
  {
    method: "POST", path: `${C}/sources`, operationId: "appendSource", tag: "collections", summary: "Re-scan a source, or add a directory source", permission: "operation.start",
    body: z.union([AppendInput.options[0], AppendInput.options[1].extend({ source: DirectorySource.partial({ kind: true }) })]), omit: ["collectionId"],
    responses: [{ status: 202, description: "Started", schema: R.OperationQueued }], errors: [400, 404, 409],
  },
  { method: "DELETE", path: `${C}/sources/{sourceId}`, operationId: "removeSource", tag: "collections", summary: "Remove a source and its documents (its typed name confirms)", permission: "operation.start", query: RemoveSourceInput, omit: ["collectionId", "sourceId"], responses: [{ status: 202, description: "Started", schema: R.OperationQueued }], errors: [400, 404, 409] },
  { method: "POST", path: `${C}/uploads`, operationId: "uploadFiles", tag: "collections", summary: "Upload files into an upload source", permission: "operation.start", multipart: { fields: UploadInput, files: "files" }, omit: ["collectionId"], responses: [{ status: 202, description: "Started, with the files accepted and refused", schema: R.OperationQueued }], errors: [400, 404, 409] },
  { method: "GET", path: `${C}/versions`, operationId: "listVersions", tag: "versions", summary: "Versions, alias history, the rollback target and versions listed for deletion", permission: "collection.read", responses: [{ status: 200, description: "Versions", schema: R.AnyObject }], errors: [404] },
  { method: "DELETE", path: `${C}/versions/{versionId}`, operationId: "deleteVersion", tag: "versions", summary: "Delete a version that is not live", permission: "collection.delete", responses: [{ status: 200, description: "Deleted", schema: R.AnyObject }], errors: [404, 409] },
  { method: "POST", path: `${C}/versions/{versionId}/keep`, operationId: "keepVersion", tag: "versions", summary: "Keep a retired version past its rollback window, or let it go", permission: "operation.start", body: KeepVersionInput, omit: ["collectionId", "versionId"], responses: [{ status: 200, description: "The version's keep flag", schema: R.AnyObject }], errors: [400, 404] },

  // Operations
  { method: "GET", path: "/api/v1/operations", operationId: "listOperations", tag: "operations", summary: "The job history, newest first, a page at a time", permission: "operation.read", query: ListOperationsInput, responses: [{ status: 200, description: "A page of operations with its total", schema: R.OperationPage }], errors: [400] },
  { method: "GET", path: "/api/v1/operations/export", operationId: "exportOperations", tag: "operations", summary: "The filtered job history as CSV", permission: "operation.read", query: OperationFilter, responses: [{ status: 200, description: "CSV", csv: true }], errors: [400] },
  { method: "POST", path: "/api/v1/operations/bulk-cancel", operationId: "bulkCancelOperations", tag: "operations", summary: "Cancel the selected operations, or every one the filter matches (`dryRun`: only the counts)", permission: "operation.cancel", body: BulkInput, responses: [{ status: 200, description: "The counts", schema: R.AnyObject }], errors: [400] },
  { method: "POST", path: "/api/v1/operations/bulk-retry", operationId: "bulkRetryOperations", tag: "operations", summary: "Start failed operations again, selected or by filter (`dryRun`: only the counts)", permission: "operation.start", body: BulkInput, responses: [{ status: 200, description: "The counts and the operations started", schema: R.AnyObject }], errors: [400] },
  { method: "GET", path: "/api/v1/operations/{id}", operationId: "getOperation", tag: "operations", summary: "An operation with its progress, checkpoints and metrics (its log: `/logs`)", permission: "operation.read", responses: [{ status: 200, description: "The operation", schema: R.OperationDetail }], errors: [404] },
  { method: "GET", path: "/api/v1/operations/{id}/logs", operationId: "listOperationLogs", tag: "operations", summary: "A page of the operation's log (oldest first): the newest lines, or those `before` / `after` a line id", permission: "operation.read", query: OperationLogsInput, omit: ["operationId"], responses: [{ status: 200, description: "`{lines, more}`: `more` when further lines lie in the page's direction", schema: R.OperationLogPage }], errors: [400, 404] },
  { method: "GET", path: "/api/v1/operations/{id}/logs/export", operationId: "exportOperationLogs", tag: "operations", summary: "The operation's filtered log as NDJSON, oldest first", permission: "operation.read", query: OperationLogFilter, responses: [{ status: 200, description: "One JSON object a line: id, at, level, message, fields", ndjson: true }], errors: [400, 404] },
  { method: "GET", path: "/api/v1/operations/{id}/figures", operationId: "getOperationFigures", tag: "operations", summary: "An operation's duration, process CPU and peak memory, counters, time by stage, and how it compares with the last five successful runs of its type on its collection", permission: "operation.read", responses: [{ status: 200, description: "The figures and the comparison", schema: R.AnyObject }], errors: [404] },
  { method: "POST", path: "/api/v1/operations/{id}/cancel", operationId: "cancelOperation", tag: "operations", summary: "Cancel an operation under way", permission: "operation.cancel", responses: [{ status: 200, description: "The operation", schema: R.Operation }], errors: [404, 409] },
  { method: "POST", path: "/api/v1/operations/{id}/approve", operationId: "approveReindex", tag: "operations", summary: "Approve a reindex awaiting approval", permission: "operation.start", body: DecideInput, omit: ["operationId", "decision"], responses: [{ status: 200, description: "The decision", schema: R.ReindexDecision }], errors: [400, 404, 409] },
  { method: "POST", path: "/api/v1/operations/{id}/reject", operationId: "rejectReindex", tag: "operations", summary: "Reject a reindex awaiting approval", permission: "operation.start", body: DecideInput, omit: ["operationId", "decision"], responses: [{ status: 200, description: "The decision", schema: R.ReindexDecision }], errors: [400, 404, 409] },

  // Runs (the local executor's)
  { method: "GET", path: "/api/v1/runs", operationId: "listRuns", tag: "runs", summary: "Executor runs, a page at a time", permission: "operation.read", query: ListRunsInput, responses: [{ status: 200, description: "A page of runs", schema: R.AnyObject }], errors: [400] },
  { method: "GET", path: "/api/v1/runs/{id}", operationId: "getRun", tag: "runs", summary: "A run with its step timeline", permission: "operation.read", responses: [{ status: 200, description: "The run", schema: R.AnyObject }], errors: [404] },
  { method: "POST", path: "/api/v1/runs/{id}/cancel", operationId: "cancelRun", tag: "runs", summary: "Cancel a run", permission: "operation.cancel", responses: [{ status: 200, description: "`{cancelled: true}`", schema: z.object({ cancelled: z.literal(true) }) }], errors: [404, 409] },
  { method: "POST", path: "/api/v1/runs/{id}/rerun", operationId: "rerunRun", tag: "runs", summary: "Run a finished run's function again with its event", permission: "operation.start", responses: [{ status: 200, description: "The new run", schema: R.AnyObject }], errors: [404, 409] },

  // Administration
  { method: "GET", path: "/api/v1/quotas", operationId: "getQuotas", tag: "admin", summary: "Every role's limits (null is no limit)", permission: "quota.read", responses: [{ status: 200, description: "Quotas", schema: R.AnyObject }] },
  { method: "PUT", path: "/api/v1/quotas", operationId: "updateQuotas", tag: "admin", summary: "Replace the limits of the roles given", permission: "quota.manage", body: UpdateQuotasInput, responses: [{ status: 200, description: "Quotas", schema: R.AnyObject }], errors: [400] },
  { method: "GET", path: "/api/v1/tokens", operationId: "listTokens", tag: "admin", summary: "API tokens (one's own; admins: everyone's)", permission: "token.own", responses: [{ status: 200, description: "Tokens", schema: z.array(R.AnyObject) }] },
  { method: "POST", path: "/api/v1/tokens", operationId: "createToken", tag: "admin", summary: "Create an API token (its secret is shown once)", permission: "token.own", body: CreateTokenInput, responses: [{ status: 201, description: "The token with its secret", schema: R.ApiTokenCreated }], errors: [400] },
  { method: "DELETE", path: "/api/v1/tokens/{id}", operationId: "revokeToken", tag: "admin", summary: "Revoke an API token", permission: "token.own", responses: [{ status: 200, description: "Revoked", schema: R.AnyObject }], errors: [404] },
  { method: "GET", path: "/api/v1/users", operationId: "listUsers", tag: "admin", summary: "Users", permission: "user.manage", responses: [{ status: 200, description: "Users", schema: z.array(R.User) }] },
  { method: "POST", path: "/api/v1/users", operationId: "createUser", tag: "admin", summary: "Create a user", permission: "user.manage", body: CreateUserInput, responses: [{ status: 201, description: "The user", schema: R.User }], errors: [400, 409] },
  { method: "PATCH", path: "/api/v1/users/{id}", operationId: "updateUser", tag: "admin", summary: "Change a user's role or disable the account", permission: "user.manage", body: UpdateUserInput, omit: ["userId"], responses: [{ status: 200, description: "The user", schema: R.User }], errors: [400, 404, 409] },

  ...BACKUP_ROUTES,
  ...ALERT_ROUTES,
  ...SILENCE_ROUTES,
];
