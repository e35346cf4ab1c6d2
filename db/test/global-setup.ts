import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import fs from "node:fs/promises";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../migrate";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../lib/runtime/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated database no test connects to: each test file clones it (db/test/setup-env.ts). */
    templateDatabaseUrl: string;
  }
}

/**
 * One real PostgreSQL for the whole run: the embedded one, started the way the launcher starts it,
 * or the server in DATABASE_URL. Either way the tests get a fresh database of their own.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let tmp: string | undefined;
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-test-"));
    await fs.chmod(tmp, 0o755); // as root, PostgreSQL runs as the postgres user and must reach its data dir
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "postgres") });
    baseUrl = embedded.url;
  }
  const dbName = `stevedore_test_${randomBytes(4).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(baseUrl);
  url.pathname = `/${dbName}`;
  await applyMigrations(url.toString());
  project.provide("templateDatabaseUrl", url.toString());

  return async () => {
    const clones = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${dbName}%`}`;
    for (const { datname } of clones) await admin.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
    await admin.end({ timeout: 5 });
    await embedded?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  };
}
