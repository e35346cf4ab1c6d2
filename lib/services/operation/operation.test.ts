import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { operations } from "@/db/schema/operations";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { freePort } from "@/lib/runtime/embedded-postgres";

// No executor listens here: the send after commit fails, as it would with the executor down.
beforeAll(async () => {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  delete process.env.INNGEST_DEV;
  Object.assign(process.env, { INNGEST_SIGNING_KEY: `signkey-test-${"cd".repeat(32)}`, INNGEST_EVENT_KEY: "no-one-listens", INNGEST_EVENT_API_BASE_URL: nobody, INNGEST_API_BASE_URL: nobody });
});
const load = async () => ({
  ...(await import("./start-self-test")),
  ...(await import("./cancel")),
  ...(await import("../run/control")),
});

describe("operation verbs", () => {
  it("refuse a viewer to start or cancel operations and runs, auditing each refusal", async () => {
    const { startSelfTest, cancelOperation, cancelRun, rerunRun } = await load();
    const ctx = await actorContext("viewer");
    const id = randomUUID();
    await expect(startSelfTest({ ctx })).rejects.toMatchObject({ code: "forbidden" });
    await expect(cancelOperation({ ctx, input: { operationId: id } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(cancelRun({ ctx, input: { runId: id } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(rerunRun({ ctx, input: { runId: id } })).rejects.toMatchObject({ code: "forbidden" });
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome])).toEqual([
      ["operation.start", "denied"],
      ["operation.cancel", "denied"],
      ["run.cancel", "denied"],
      ["run.rerun", "denied"],
    ]);
    expect(await getDb().select().from(operations).where(eq(operations.correlationId, ctx.correlationId))).toHaveLength(0);
  });

  it("mark the operation failed with a clear message when the executor cannot be reached", async () => {
    const { startSelfTest } = await load();
    const ctx = await actorContext("operator");
    await expect(startSelfTest({ ctx })).rejects.toMatchObject({ code: "unavailable", message: expect.stringContaining("not reachable") });
    const [op] = await getDb().select().from(operations).where(eq(operations.correlationId, ctx.correlationId));
    expect(op).toMatchObject({ type: "SELF_TEST", status: "failed", error: expect.stringContaining("could not be reached") });
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome])).toEqual([["operation.start", "success"]]);
  }, 20_000);

  it("refuse to cancel an operation that has finished", async () => {
    const { cancelOperation } = await load();
    const ctx = await actorContext("operator");
    const [op] = await getDb().insert(operations).values({ type: "SELF_TEST", status: "succeeded", correlationId: ctx.correlationId }).returning();
    await expect(cancelOperation({ ctx, input: { operationId: op!.id } })).rejects.toMatchObject({ code: "conflict" });
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome])).toEqual([["operation.cancel", "failure"]]);
  });
});
