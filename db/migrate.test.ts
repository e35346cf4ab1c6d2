import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate";
import { getSql } from "./client";
import { testDatabaseUrl } from "@/db/test/database";

describe("migrations", () => {
  it("create every table of the schema and can be applied again without change", async () => {
    await applyMigrations(testDatabaseUrl());
    const rows = await getSql()<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["audit_log", "users", "api_tokens", "collections", "operations", "documents", "document_texts", "backups"]),
    );
  });

  it("upgrade a database from 0001 keeping each document's parsed text and its history", async () => {
    const name = `stevedore_upgrade_${randomBytes(4).toString("hex")}`;
    await getSql().unsafe(`create database ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => undefined });
    const old = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-migrations-"));
    try {
      // The migrations as they were at 0001.
      await fs.cp("db/migrations", old, { recursive: true });
      const journal = JSON.parse(await fs.readFile(path.join(old, "meta/_journal.json"), "utf8")) as { entries: Array<{ tag: string }> };
      journal.entries = journal.entries.filter((e) => Number(e.tag.slice(0, 4)) <= 1);
      await fs.writeFile(path.join(old, "meta/_journal.json"), JSON.stringify(journal));
      await migrate(drizzle(sql), { migrationsFolder: old });

      const [collection] = await sql<{ id: string }[]>`
        insert into collections (name, embedding_model, dimension, vector_backend, chunk_size, chunk_overlap) values ('old', 'builtin-hash', 384, 'lancedb', 1200, 150) returning id`;
      const [source] = await sql<{ id: string }[]>`insert into sources (collection_id, name, kind, path) values (${collection!.id}, 'docs', 'directory', '/srv/docs') returning id`;
      const docId = randomUUID();
      await sql`insert into documents (id, collection_id, source_id, path, stage, parsed_text, chunk_count) values (${docId}, ${collection!.id}, ${source!.id}, 'a.md', 'complete', 'The parsed text.', 1)`;
      await sql`insert into chunks (id, document_id, collection_id, ordinal, content_hash, text) values (${randomUUID()}, ${docId}, ${collection!.id}, 0, 'h', 'The parsed text.')`;
      await sql`insert into document_events (document_id, stage) values (${docId}, 'parsing'), (${docId}, 'complete')`;

      await applyMigrations(url.toString());
      expect(await sql`select document_id, text from document_texts`).toEqual([{ document_id: docId, text: "The parsed text." }]);
      expect(await sql`select stage from document_events where document_ids @> array[${docId}]::uuid[] order by id`).toEqual([{ stage: "parsing" }, { stage: "complete" }]);
      expect(await sql`select to_regclass('chunks') as t`).toEqual([{ t: null }]);
    } finally {
      await sql.end({ timeout: 5 });
      await getSql().unsafe(`drop database if exists ${name} with (force)`);
      await fs.rm(old, { recursive: true, force: true });
    }
  });
});
