import postgres from "postgres";

export type Sql = postgres.Sql;
export type TxSql = postgres.TransactionSql;
/** Either the pool or a transaction: the executor's SQL helpers accept both. */
export type AnySql = Sql | TxSql;

/**
 * The executor's own pool: it may run in a process of its own, apart from the app's `db/client`.
 * Its commits don't wait for the WAL flush (a step costs ~1 ms less). A crash of the database host
 * can then lose the last fraction of a second of executor bookkeeping, and only that: WAL is a
 * sequence, so any later flushed commit (every app write, every acknowledged event) carries it. What
 * is lost re-runs a step, which at-least-once execution allows. Whatever is acknowledged to a caller
 * commits with {@link commitDurably}.
 */
export function connectExecutorDb(url: string, max = 10): Sql {
  return postgres(url, {
    max,
    onnotice: () => undefined,
    connection: { application_name: "stevedore-executor", synchronous_commit: "off" },
  });
}

/** This transaction's commit waits for the WAL flush: for what the executor acknowledges to a caller. */
export async function commitDurably(tx: TxSql): Promise<void> {
  await tx`set local synchronous_commit = on`;
}

/** JSON text for a `$n::jsonb` parameter; undefined becomes JSON null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
