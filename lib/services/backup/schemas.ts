import { z } from "zod";

const empty = (v: unknown) => (v === "" || v === null ? undefined : v);
const sourceNames = z.preprocess((v) => (typeof v === "string" ? (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined) : v), z.array(z.string().min(1)).min(1, { message: "Choose at least one source, or back up all of them." }).max(1000).optional());

export const StartBackupInput = z.object({
  collectionId: z.uuid({ message: "Choose a collection." }),
  kind: z.enum(["full", "schema"], { message: "Choose a full or a schema-only backup." }).default("full"),
  /** Without vectors the file is smaller and a restore re-embeds each point's text. */
  vectors: z.boolean().default(true),
  /** Only these sources (by name); unset: all of them. */
  sources: sourceNames,
  note: z.string().trim().max(2000, { message: "At most 2,000 characters." }).default(""),
  rateLimitMBps: z.preprocess(empty, z.coerce.number().positive({ message: "A positive number of MB/s, or leave it empty." }).max(100_000).optional()),
  dryRun: z.boolean().default(false),
});

export const BackupRef = z.object({ backupId: z.uuid({ message: "Unknown backup." }) });

export const ListBackupsInput = z.object({
  collectionId: z.preprocess(empty, z.uuid().optional()),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const StartRestoreInput = z
  .object({
    backupId: z.uuid({ message: "Choose a backup." }),
    mode: z.enum(["new", "replace", "merge"], { message: "Choose new, replace or merge." }),
    /** mode "new": the new collection's name. */
    into: z.preprocess(empty, z.string().trim().optional()),
    /** mode "replace" / "merge": the collection to restore into. */
    collectionId: z.preprocess(empty, z.uuid({ message: "Choose a collection." }).optional()),
    onConflict: z.enum(["skip", "overwrite"]).default("skip"),
    /** mode "replace": the target's name, typed by the operator. */
    confirm: z.string().optional(),
    dryRun: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.mode === "new" && !v.into) ctx.addIssue({ code: "custom", path: ["into"], message: "Name the new collection." });
    if (v.mode !== "new" && !v.collectionId) ctx.addIssue({ code: "custom", path: ["collectionId"], message: "Choose the collection to restore into." });
  });

export const ClearCollectionInput = z.object({
  collectionId: z.uuid({ message: "Choose a collection." }),
  /** The collection's name, typed by the admin. */
  confirmName: z.string().trim().default(""),
  backupFirst: z.boolean().default(true),
  dryRun: z.boolean().default(false),
});

export type StartBackupInput = z.infer<typeof StartBackupInput>;
export type StartRestoreInput = z.infer<typeof StartRestoreInput>;
