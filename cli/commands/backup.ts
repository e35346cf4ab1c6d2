import { existsSync } from "node:fs";
import { openAsBlob } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { AnyObject, BackupStarted } from "../../lib/api/openapi/responses";
import type { ApiClient } from "../client";
import { clientFor, outputOf } from "../context";
import { CliError, EXIT, usage } from "../errors";
import { emit, type Output } from "../output";
import { resolveCollection } from "../resolve";
import { waitForOperation } from "../wait";
import { describeOperation } from "./ops";

const Started = z.union([BackupStarted, z.looseObject({ dryRun: z.literal(true) })]);

/** A 202's operation: followed with --wait, else named. A dry run's answer is printed as it is. */
async function finish(client: ApiClient, out: Output, what: string, data: z.infer<typeof Started>, wait: boolean) {
  if (!("operationId" in data)) {
    emit(out, data, () => `${what} (dry run, nothing changed):\n${JSON.stringify(data, null, 2)}`);
    return;
  }
  const id = String(data.operationId);
  if (!wait) {
    emit(out, data, () => `${what} started: operation ${id}. Follow it with \`stevedore ops show ${id}\`.`);
    return;
  }
  const detail = await waitForOperation(client, id, out);
  emit(out, detail, () => describeOperation(detail));
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const isUuid = (v: string) => z.uuid().safeParse(v).success;

export function registerBackup(program: Command) {
  program
    .command("backup <collection>")
    .description("start a BACKUP of a collection (by name or id)")
    .option("--schema-only", "the manifest only: settings, sources, documents' metadata, golden queries")
    .option("--no-vectors", "leave vectors out (a restore re-embeds from the text)")
    .option("--source <name>", "only this source (repeatable)", collect)
    .option("--note <text>", "a note kept with the backup")
    .option("--dry-run", "estimate points, size and time; start nothing")
    .option("--wait", "follow it to the end with a progress bar")
    .action(async (name: string, opts: { schemaOnly?: boolean; vectors: boolean; source?: string[]; note?: string; dryRun?: boolean; wait?: boolean }, command: Command) => {
      const out = outputOf(command);
      const client = await clientFor();
      const collection = await resolveCollection(client, name);
      const body = { kind: opts.schemaOnly ? "schema" : "full", vectors: opts.vectors, sources: opts.source, note: opts.note, dryRun: !!opts.dryRun };
      const { data } = await client.post(`/api/v1/collections/${collection.id}/backups`, body, Started);
      await finish(client, out, `Backup of ${collection.name}`, data, !!opts.wait);
    });

  program
    .command("restore <backup>")
    .description("start a RESTORE from a backup id or a backup file (uploaded first)")
    .option("--into <name>", "a new collection's name; with --merge, the existing collection to merge into")
    .option("--replace <collection>", "replace this collection's live version (switched atomically, the old one kept for rollback)")
    .option("--merge <policy>", "merge into --into's collection: skip or overwrite points that exist")
    .option("--dry-run", "check the manifest, compatibility and conflicts; change nothing")
    .option("--wait", "follow it to the end with a progress bar")
    .action(async (backup: string, opts: { into?: string; replace?: string; merge?: string; dryRun?: boolean; wait?: boolean }, command: Command) => {
      const out = outputOf(command);
      if (opts.merge !== undefined && opts.merge !== "skip" && opts.merge !== "overwrite") throw usage("--merge takes skip or overwrite.");
      if (opts.replace && opts.merge) throw usage("Choose --replace or --merge, not both.");
      if (opts.replace && opts.into) throw usage("--into names a new collection (or the one to merge into); --replace names the one to replace: give one of them.");
      if (opts.merge && !opts.into) throw usage("--merge needs --into <collection>, the collection to merge into.");
      const client = await clientFor();
      const backupId = await backupIdOf(client, backup, out);
      let body: Record<string, unknown>;
      if (opts.replace) {
        const target = await resolveCollection(client, opts.replace);
        body = { backupId, mode: "replace", collectionId: target.id, confirm: target.name };
      } else if (opts.merge) {
        const target = await resolveCollection(client, opts.into!);
        body = { backupId, mode: "merge", collectionId: target.id, onConflict: opts.merge };
      } else body = { backupId, mode: "new", into: opts.into };
      const { data } = await client.post("/api/v1/restores", { ...body, dryRun: !!opts.dryRun }, Started);
      await finish(client, out, "Restore", data, !!opts.wait);
    });

  program
    .command("clear <collection>")
    .description("start a CLEAR: remove every point and document of a collection, keeping its settings (admins)")
    .option("--yes", "really clear it (required)")
    .option("--no-backup-first", "do not take a backup before clearing")
    .option("--wait", "follow it to the end with a progress bar")
    .action(async (name: string, opts: { yes?: boolean; backupFirst: boolean; wait?: boolean }, command: Command) => {
      if (!opts.yes) throw usage(`Refusing to clear “${name}” without --yes: it removes every point and document of the collection (its settings stay)${opts.backupFirst ? ", after a backup" : " and, with --no-backup-first, takes no backup"}. Run \`stevedore clear ${name} --yes\` to go ahead.`);
      const out = outputOf(command);
      const client = await clientFor();
      const collection = await resolveCollection(client, name);
      const { data } = await client.post(`/api/v1/collections/${collection.id}/clear`, { confirmName: collection.name, backupFirst: opts.backupFirst }, Started);
      await finish(client, out, `Clear of ${collection.name}`, data, !!opts.wait);
    });
}

/** A backup's id as it is; a file is uploaded first (POST /api/v1/backups/import). */
async function backupIdOf(client: ApiClient, backup: string, out: Output): Promise<string> {
  if (isUuid(backup) && !existsSync(backup)) return backup;
  if (!existsSync(backup)) throw new CliError(EXIT.notFound, `“${backup}” is neither a backup id nor a file here.`);
  const form = new FormData();
  form.set("file", await openAsBlob(backup), path.basename(backup));
  if (!out.json) process.stderr.write(`uploading ${backup}…\n`);
  const { data } = await client.request("POST", "/api/v1/backups/import", { form, schema: AnyObject.extend({ id: z.uuid() }) });
  return data.id;
}
