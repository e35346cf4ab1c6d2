import { afterAll, describe, expect, it } from "vitest";
import { acknowledgedTransaction, connectExecutorDb } from "./db";
import { testDatabaseUrl } from "@/db/test/database";

describe("acknowledgedTransaction", () => {
  const sql = connectExecutorDb(testDatabaseUrl(), 4);
  afterAll(async () => sql.end({ timeout: 5 }));

  it("retries the victim of a deadlock, so both transactions commit", async () => {
    const [a, b] = await sql<{ id: string }[]>`
      insert into executor_runs (function_id, event, status) values ('deadlock-probe', '{}', 'running'), ('deadlock-probe', '{}', 'running') returning id`;
    // Each transaction locks one run, waits until the other holds its run, then wants the other's:
    // PostgreSQL aborts one of them (40P01). The barrier only holds on the first attempts.
    let holding = 0;
    let bothHold!: () => void;
    const barrier = new Promise<void>((resolve) => (bothHold = resolve));
    const attempts: string[] = [];
    const crossed = (first: string, second: string, label: string) =>
      acknowledgedTransaction(sql, async (tx) => {
        attempts.push(label);
        await tx`select 1 from executor_runs where id = ${first} for update`;
        if (++holding === 2) bothHold();
        await barrier;
        await tx`select 1 from executor_runs where id = ${second} for update`;
        return label;
      });
    expect(await Promise.all([crossed(a!.id, b!.id, "a"), crossed(b!.id, a!.id, "b")])).toEqual(["a", "b"]);
    expect(attempts).toHaveLength(3);
    await sql`delete from executor_runs where function_id = 'deadlock-probe'`;
  });

  it("does not retry other errors", async () => {
    let calls = 0;
    await expect(
      acknowledgedTransaction(sql, async (tx) => {
        calls++;
        await tx`select 1/0`;
      }),
    ).rejects.toThrow(/division by zero/);
    expect(calls).toBe(1);
  });
});
