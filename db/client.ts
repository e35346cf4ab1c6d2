import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env, requireDatabaseUrl } from "@/lib/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle: the same query API as Database. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Executor = Database | Tx;

type Cache = { sql?: postgres.Sql; db?: Database };
// One pool per process, kept across hot reloads in development.
const cache = ((globalThis as { __stevedoreDb?: Cache }).__stevedoreDb ??= {});

export function getSql(): postgres.Sql {
  cache.sql ??= postgres(requireDatabaseUrl(), {
    max: env().DATABASE_POOL_MAX,
    onnotice: () => undefined,
    connection: { application_name: "stevedore" },
  });
  return cache.sql;
}

export function getDb(): Database {
  cache.db ??= drizzle(getSql(), { schema });
  return cache.db;
}

export async function closeDb(): Promise<void> {
  const sql = cache.sql;
  cache.sql = undefined;
  cache.db = undefined;
  await sql?.end({ timeout: 5 });
}
