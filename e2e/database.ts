import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

/**
 * The e2e console's embedded PostgreSQL (STEVEDORE_DATA_DIR=.stevedore/e2e in playwright.config), for
 * states the pipeline only reaches slowly (a document that failed every attempt). Port from postmaster.pid.
 */
export function e2eDatabase() {
  const dir = path.resolve(".stevedore/e2e");
  const port = Number(fs.readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[3]);
  const password = fs.readFileSync(path.join(dir, "postgres.password"), "utf8").trim();
  return postgres({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres", max: 1, onnotice: () => {} });
}

/** A lock a test holds in a transaction of its own connection, to stop the server at a chosen statement. */
export type HeldLock = {
  /** The backend holding it, for pg_blocking_pids. */
  pid: number;
  /** Backends of other sessions waiting for this lock, with what they run. */
  blocked: () => Promise<{ pid: number; query: string }[]>;
  /** Ends the backends waiting for it: what a killed server had sent then never commits, as when its database dies with it. */
  endWaiting: () => Promise<void>;
  release: () => Promise<void>;
};

/** Runs `statement` (a LOCK TABLE or a SELECT … FOR UPDATE) in a transaction kept open until release. */
export async function holdLock(url: string, statement: string, params: string[] = []): Promise<HeldLock> {
  // One connection for the transaction, one to look at the others.
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  let held!: (pid: number) => void;
  let done!: () => void;
  const acquired = new Promise<number>((resolve) => (held = resolve));
  const finish = new Promise<void>((resolve) => (done = resolve));
  const tx = sql.begin(async (t) => {
    await t.unsafe(statement, params);
    const [row] = await t<{ pid: number }[]>`select pg_backend_pid() as pid`;
    held(row!.pid);
    await finish;
  });
  const pid = await Promise.race([acquired, tx.then(() => Promise.reject(new Error(`the lock was not held: ${statement}`)))]);
  const blocked = () => sql<{ pid: number; query: string }[]>`select pid, query from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))`;
  return {
    pid,
    blocked,
    endWaiting: async () => {
      const waiting = (await blocked()).map((w) => w.pid);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where pid = any(${waiting}::int[])`;
    },
    release: async () => {
      done();
      await tx;
      await sql.end({ timeout: 5 });
    },
  };
}
