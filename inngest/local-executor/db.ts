import postgres from "postgres";

export type Sql = postgres.Sql;
export type TxSql = postgres.TransactionSql;
/** Either the pool or a transaction: the executor's SQL helpers accept both. */
export type AnySql = Sql | TxSql;

/** The executor's own pool: it may run in a process of its own, apart from the app's `db/client`. */
export function connectExecutorDb(url: string, max = 10): Sql {
  return postgres(url, {
    max,
    onnotice: () => undefined,
    connection: { application_name: "stevedore-executor" },
  });
}

/** JSON text for a `$n::jsonb` parameter; undefined becomes JSON null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
