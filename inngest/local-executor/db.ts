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

/**
 * As sql.begin, but BEGIN goes out with the work's first statements instead of waiting for its own
 * answer: one round trip fewer. A failed statement aborts the transaction, so nothing after it applies.
 */
export async function transaction<T>(sql: Sql, work: (tx: TxSql) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  try {
    const [, result] = await Promise.all([conn`begin`.execute(), work(conn as unknown as TxSql)]);
    await conn`commit`;
    return result;
  } catch (e) {
    await conn`rollback`.catch(() => undefined);
    throw e;
  } finally {
    conn.release();
  }
}

/**
 * Statements that need nothing from each other's answers, in one transaction and one round trip:
 * BEGIN, them, COMMIT. After a failure COMMIT only ends the aborted transaction.
 */
export async function pipelinedTransaction<T extends unknown[]>(sql: Sql, statements: (tx: TxSql) => { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const conn = await sql.reserve();
  try {
    const begun = conn`begin`.execute();
    const results = statements(conn as unknown as TxSql);
    const [, out] = await Promise.all([begun, Promise.all(results), conn`commit`.execute()]);
    return out as T;
  } catch (e) {
    await conn`rollback`.catch(() => undefined);
    throw e;
  } finally {
    conn.release();
  }
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
      return await transaction(sql, async (tx) => (await Promise.all([tx`set local synchronous_commit = on`.execute(), work(tx)]))[1]);
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
