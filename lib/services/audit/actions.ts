import { z } from "zod";

/** Every audited action, named `entity.verb`. */
export const AuditAction = z.enum([
  "auth.sign_in",
  "auth.sign_out",
  "user.create",
  "user.update",
  "user.unlock",
  "user.change_password",
  "user.reset_password",
  "token.create",
  "token.revoke",
  "audit.export",
  "operation.start",
  "operation.cancel",
  // One entry for a whole bulk action, with its filter (or ids) and counts.
  "operation.bulk-cancel",
  "operation.bulk-retry",
  "run.cancel",
  "run.rerun",
  "collection.create",
  "collection.delete",
  "source.add",
  "source.remove",
  "document.retry",
  "reindex.approve",
  "reindex.reject",
  "collection.rollback",
  "collection.update_policy",
  "version.keep",
  "version.delete",
  "golden_query.create",
  "golden_query.delete",
  "quota.update",
]);
export type AuditAction = z.infer<typeof AuditAction>;
