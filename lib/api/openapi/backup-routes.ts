import { z } from "zod";
import type { ApiRouteSpec } from "./registry";
import * as R from "./responses";

/**
 * The backup, restore and clear routes of issue 11, described from their REST contract while the
 * routes are built on main. To wire them: replace these three schemas with imports from
 * `lib/services/backup/schemas.ts` and move the entries into API_ROUTES (registry.test.ts fails
 * as soon as one of these paths has a route file, until it is moved).
 */
export const StartBackupInput = z.object({
  collectionId: z.uuid(),
  kind: z.enum(["full", "schema"]),
  vectors: z.boolean().default(true),
  sources: z.array(z.string()).optional().describe("source names; all when left out"),
  note: z.string().max(2000).optional(),
  rateLimitMbps: z.number().positive().optional(),
  dryRun: z.boolean().default(false),
});
export const StartRestoreInput = z.object({
  backupId: z.uuid(),
  mode: z.enum(["new", "replace", "merge"]),
  into: z.string().optional().describe("the new collection's name (mode new)"),
  collectionId: z.uuid().optional().describe("the target (replace, merge)"),
  onConflict: z.enum(["skip", "overwrite"]).optional(),
  confirm: z.string().optional().describe("the target's name, for replace"),
  dryRun: z.boolean().default(false),
});
export const ClearCollectionInput = z.object({
  collectionId: z.uuid(),
  confirmName: z.string(),
  backupFirst: z.boolean().default(true),
  dryRun: z.boolean().default(false),
});

const C = "/api/v1/collections/{id}";

export const PENDING_BACKUP_ROUTES: ApiRouteSpec[] = [
  { method: "POST", path: `${C}/backups`, operationId: "startBackup", tag: "backups", summary: "Start a BACKUP, or estimate it with `dryRun`", permission: "operation.start", body: StartBackupInput, omit: ["collectionId"], responses: [{ status: 202, description: "Started", schema: R.OperationStarted }, { status: 200, description: "`dryRun`: `{estimate}`", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "GET", path: "/api/v1/backups", operationId: "listBackups", tag: "backups", summary: "Backups", permission: "collection.read", query: z.object({ collectionId: z.uuid().optional() }), responses: [{ status: 200, description: "Backups", schema: R.AnyList }], errors: [400] },
  { method: "GET", path: "/api/v1/backups/{id}", operationId: "getBackup", tag: "backups", summary: "A backup", permission: "collection.read", responses: [{ status: 200, description: "The backup", schema: R.AnyObject }], errors: [404] },
  { method: "DELETE", path: "/api/v1/backups/{id}", operationId: "deleteBackup", tag: "backups", summary: "Delete a backup", permission: "collection.delete", responses: [{ status: 200, description: "Deleted", schema: R.AnyObject }], errors: [404, 409] },
  { method: "GET", path: "/api/v1/backups/{id}/download", operationId: "downloadBackup", tag: "backups", summary: "The backup file (gzip JSON lines)", permission: "collection.read", responses: [{ status: 200, description: "The file", csv: true }], errors: [404] },
  { method: "POST", path: "/api/v1/backups/{id}/verify", operationId: "verifyBackup", tag: "backups", summary: "Start a VERIFY of a backup", permission: "operation.start", responses: [{ status: 202, description: "Started", schema: R.OperationStarted }], errors: [404, 409] },
  { method: "POST", path: "/api/v1/backups/import", operationId: "importBackup", tag: "backups", summary: "Upload a backup file", permission: "operation.start", multipart: { fields: z.object({}), files: "file" }, responses: [{ status: 201, description: "`{backup}`", schema: R.AnyObject }], errors: [400, 409] },
  { method: "POST", path: "/api/v1/restores", operationId: "startRestore", tag: "backups", summary: "Start a RESTORE, or check it with `dryRun`", permission: "operation.start", body: StartRestoreInput, responses: [{ status: 202, description: "Started", schema: R.OperationStarted }, { status: 200, description: "`dryRun`: `{report}`", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "POST", path: `${C}/clear`, operationId: "clearCollection", tag: "backups", summary: "Start a CLEAR (backing up first unless `backupFirst: false`)", permission: "collection.clear", body: ClearCollectionInput, omit: ["collectionId"], responses: [{ status: 202, description: "Started", schema: R.OperationStarted }, { status: 200, description: "`dryRun`: the counts", schema: R.AnyObject }], errors: [400, 404, 409] },
];
