import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { applyMigrations } from "./migrate";
import { getSql } from "./client";

describe("migrations", () => {
  it("create every table of the schema and can be applied again without change", async () => {
    await applyMigrations(inject("databaseUrl"));
    const rows = await getSql()<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["audit_log", "users", "api_tokens", "collections", "operations", "documents", "document_texts", "backups"]),
    );
  });
});
