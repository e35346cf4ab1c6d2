import { z } from "zod";
import { ClearCollectionInput, ListBackupsInput, StartBackupInput, StartRestoreInput } from "@/lib/services/backup/schemas";
import type { ApiRouteSpec } from "./registry";
import * as R from "./responses";

/** The backup, restore and clear routes (issue 11), with the schemas their verbs parse. */
const C = "/api/v1/collections/{id}";

export const BACKUP_ROUTES: ApiRouteSpec[] = [
  { method: "GET", path: `${C}/backups`, operationId: "listCollectionBackups", tag: "backups", summary: "A collection's backups, newest first", permission: "collection.read", query: ListBackupsInput.omit({ collectionId: true }), responses: [{ status: 200, description: "Backups", schema: R.AnyList }], errors: [400, 404] },
  { method: "POST", path: `${C}/backups`, operationId: "startBackup", tag: "backups", summary: "Start a BACKUP, or estimate it with `dryRun`", permission: "operation.start", body: StartBackupInput, omit: ["collectionId"], responses: [{ status: 202, description: "Started", schema: R.BackupStarted }, { status: 200, description: "`dryRun`: `{estimate, disk}`", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "GET", path: "/api/v1/backups", operationId: "listBackups", tag: "backups", summary: "Backups", permission: "collection.read", query: ListBackupsInput, responses: [{ status: 200, description: "Backups", schema: R.AnyList }], errors: [400] },
  { method: "GET", path: "/api/v1/backups/{id}", operationId: "getBackup", tag: "backups", summary: "A backup", permission: "collection.read", responses: [{ status: 200, description: "The backup", schema: R.AnyObject }], errors: [404] },
  { method: "DELETE", path: "/api/v1/backups/{id}", operationId: "deleteBackup", tag: "backups", summary: "Delete a backup", permission: "backup.delete", responses: [{ status: 200, description: "Deleted", schema: R.AnyObject }], errors: [404, 409] },
  { method: "GET", path: "/api/v1/backups/{id}/download", operationId: "downloadBackup", tag: "backups", summary: "The backup file (gzip JSON lines)", permission: "collection.read", responses: [{ status: 200, description: "The file", csv: true }], errors: [404] },
  { method: "POST", path: "/api/v1/backups/{id}/verify", operationId: "verifyBackup", tag: "backups", summary: "Start a VERIFY of a backup", permission: "operation.start", responses: [{ status: 202, description: "Started", schema: R.BackupStarted }], errors: [404, 409] },
  { method: "POST", path: "/api/v1/backups/import", operationId: "importBackup", tag: "backups", summary: "Upload a backup file", permission: "operation.start", multipart: { fields: z.object({ note: z.string().max(2000).optional() }), files: "file" }, responses: [{ status: 201, description: "The backup, verified", schema: R.AnyObject }], errors: [400, 409] },
  { method: "POST", path: "/api/v1/restores", operationId: "startRestore", tag: "backups", summary: "Start a RESTORE, or check it with `dryRun`", permission: "operation.start", body: StartRestoreInput, responses: [{ status: 202, description: "Started", schema: R.BackupStarted }, { status: 200, description: "`dryRun`: the report (backup, target, checks, conflicts, refusals)", schema: R.AnyObject }], errors: [400, 404, 409] },
  { method: "POST", path: `${C}/clear`, operationId: "clearCollection", tag: "backups", summary: "Start a CLEAR (backing up first unless `backupFirst: false`)", permission: "collection.clear", body: ClearCollectionInput, omit: ["collectionId"], responses: [{ status: 202, description: "Started", schema: R.BackupStarted }, { status: 200, description: "`dryRun`: the counts", schema: R.AnyObject }], errors: [400, 404, 409] },
];
