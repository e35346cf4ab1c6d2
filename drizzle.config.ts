import { defineConfig } from "drizzle-kit";

// Generation only diffs schema files against db/migrations/meta; it needs no live database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
