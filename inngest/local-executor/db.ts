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
 * commits in an {@link acknowledgedTransaction}.
 */
export function connectExecutorDb(url: string, max = 10): Sql {
  return postgres(url, {
    max,
    onnotice: () => undefined,
    connection: { application_name: "stevedore-executor", synchronous_commit: "off" },
  });
}

const RETRYABLE = new Set(["40P01", "40001"]); // deadlock_detected, serialization_failure

/**
 * A transaction whose commit the executor acknowledges to a caller (an event accepted, a run
 * cancelled): it waits for the WAL flush, and is retried when PostgreSQL aborts it as a deadlock
 * victim. Such a transaction may touch several runs (an event resumes one and cancels another),
 * so no single lock order covers them all; the whole transaction rolls back, so a retry is safe.
 */
export async function acknowledgedTransaction<T>(sql: Sql, work: (tx: TxSql) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      // The setting goes out pipelined with the work's first statements: no round trip of its own.
      return (await sql.begin(async (tx) => (await Promise.all([tx`set local synchronous_commit = on`.execute(), work(tx)]))[1])) as T;
    } catch (e) {
      if (attempt >= attempts || !RETRYABLE.has((e as { code?: string }).code ?? "")) throw e;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}

/** JSON text for a `$n::jsonb` parameter; undefined becomes JSON null. */
export function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
