import { NonRetriableError, type Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRun } from "./queries";
import { startHarness, type Harness } from "./test-support/harness";
import { drizzle } from "drizzle-orm/postgres-js";
import { testDatabaseUrl } from "@/db/test/database";

const attemptsSeen: Record<string, number[]> = {};

function functions(client: Inngest.Any) {
  const steps = client.createFunction({ id: "three-steps", triggers: [{ event: "t/steps" }] }, async ({ step }) => {
    const a = await step.run("a", () => 1);
    const b = await step.run("b", () => a + 1);
    const c = await step.run("c", () => b + 1);
    return { a, b, c };
  });
  const flaky = client.createFunction({ id: "flaky", retries: 2, triggers: [{ event: "t/flaky" }] }, async ({ event, step, attempt }) => {
    const key = String(event.data.key);
    const value = await step.run("flaky-step", () => {
      (attemptsSeen[key] ??= []).push(attempt);
      if (attempt < 1) throw new Error("transient");
      return "ok";
    });
    return { value };
  });
  const doomed = client.createFunction(
    {
      id: "doomed",
      retries: 1,
      triggers: [{ event: "t/doomed" }],
      onFailure: async ({ event, step }) => {
        await step.run("note-failure", () => ({ failedRun: event.data.run_id, message: event.data.error.message }));
        return { handled: event.data.event.data };
      },
    },
    async ({ step }) => {
      await step.run("always-fails", () => {
        throw new Error("permanent");
      });
    },
  );
  const caught = client.createFunction({ id: "caught", retries: 1, triggers: [{ event: "t/caught" }] }, async ({ step }) => {
    try {
      await step.run("fails", () => {
        throw new Error("nope");
      });
      return "unreachable";
    } catch (e) {
      return { recovered: (e as Error).message };
    }
  });
  const nonRetriable = client.createFunction({ id: "non-retriable", retries: 3, triggers: [{ event: "t/non-retriable" }] }, async ({ event }) => {
    (attemptsSeen[String(event.data.key)] ??= []).push(1);
    throw new NonRetriableError("bad payload");
  });
  return [steps, flaky, doomed, caught, nonRetriable];
}

describe("local executor: steps, retries and failures", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-retries", functions });
  });
  afterAll(async () => h?.close());

  it("runs a three-step function to completion and records each step", async () => {
    const { ids } = await h.client.send({ name: "t/steps", data: {} });
    const [run] = await h.runsOfEvent(ids[0]!);
    expect(run).toBeDefined();
    const done = await h.waitForStatus(run!.id, ["completed", "failed"]);
    expect(done.status).toBe("completed");
    expect(done.output).toEqual({ a: 1, b: 2, c: 3 });
    const detail = await getRun(drizzle(h.sql), run!.id);
    expect(detail?.steps.map((s) => [s.stepId, s.status, s.output])).toEqual([
      ["a", "completed", 1],
      ["b", "completed", 2],
      ["c", "completed", 3],
    ]);
  });

  it("retries a failing step and then succeeds", async () => {
    const { ids } = await h.client.send({ name: "t/flaky", data: { key: "k1" } });
    const [run] = await h.runsOfEvent(ids[0]!);
    const done = await h.waitForStatus(run!.id, ["completed", "failed"]);
    expect(done.status).toBe("completed");
    expect(done.output).toEqual({ value: "ok" });
    expect(attemptsSeen.k1).toEqual([0, 1]);
    const detail = await getRun(drizzle(h.sql), run!.id);
    expect(detail?.steps[0]).toMatchObject({ stepId: "flaky-step", status: "completed", attempts: 2 });
  });

  it("fails a run whose step exhausts its retries and runs onFailure with the original event", async () => {
    const { ids } = await h.client.send({ name: "t/doomed", data: { tag: "x" } });
    const [run] = await h.runsOfEvent(ids[0]!);
    const failed = await h.waitForStatus(run!.id, ["completed", "failed"]);
    expect(failed.status).toBe("failed");
    expect(failed.error?.message).toBe("permanent");
    const handler = await h.sql<{ id: string }[]>`
      select id from executor_runs where function_id = ${h.fnId("doomed-failure")} and event->'data'->>'run_id' = ${run!.id}`;
    expect(handler).toHaveLength(1);
    const handled = await h.waitForStatus(handler[0]!.id, ["completed", "failed"]);
    expect(handled).toMatchObject({ status: "completed", output: { handled: { tag: "x" } } });
  });

  it("memoizes a step that failed for good so user code can catch it", async () => {
    const { ids } = await h.client.send({ name: "t/caught", data: {} });
    const [run] = await h.runsOfEvent(ids[0]!);
    const done = await h.waitForStatus(run!.id, ["completed", "failed"]);
    expect(done).toMatchObject({ status: "completed", output: { recovered: "nope" } });
  });

  it("does not retry a NonRetriableError", async () => {
    const { ids } = await h.client.send({ name: "t/non-retriable", data: { key: "nr" } });
    const [run] = await h.runsOfEvent(ids[0]!);
    const done = await h.waitForStatus(run!.id, ["completed", "failed"]);
    expect(done.status).toBe("failed");
    expect(done.error?.name).toBe("NonRetriableError");
    expect(attemptsSeen.nr).toEqual([1]);
  });
});
