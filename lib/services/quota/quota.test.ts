import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { roleQuotas } from "@/db/schema/quotas";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { getQuotas } from "./get";
import { updateQuotas } from "./update";

const none = { maxConcurrentOperations: null, maxPointsPerCollection: null, maxCollections: null };

beforeEach(async () => {
  await getDb().delete(roleQuotas);
});

describe("quota verbs", () => {
  it("set a role's limits for an admin, audited with the old and new values, and every role reads them", async () => {
    const admin = await actorContext("admin");
    await updateQuotas({ ctx: admin, input: { quotas: [{ role: "operator", maxConcurrentOperations: 2, maxPointsPerCollection: 100_000, maxCollections: null }] } });
    const saved = await updateQuotas({ ctx: admin, input: { quotas: [{ role: "operator", maxConcurrentOperations: 3, maxPointsPerCollection: null, maxCollections: 5 }, { role: "viewer", ...none }] } });

    expect(saved.map((q) => [q.role, q.maxConcurrentOperations, q.maxPointsPerCollection, q.maxCollections, q.updatedBy])).toEqual([
      ["viewer", null, null, null, admin.actor.email],
      ["operator", 3, null, 5, admin.actor.email],
      ["admin", null, null, null, null],
    ]);
    const audit = await auditRowsOf(admin.correlationId);
    expect(audit.map((r) => [r.action, r.outcome, r.targetType, r.targetId, r.params])).toEqual([
      ["quota.update", "success", "role_quota", "operator", { role: "operator", from: none, to: { maxConcurrentOperations: 2, maxPointsPerCollection: 100_000, maxCollections: null } }],
      ["quota.update", "success", "role_quota", "operator", { role: "operator", from: { maxConcurrentOperations: 2, maxPointsPerCollection: 100_000, maxCollections: null }, to: { maxConcurrentOperations: 3, maxPointsPerCollection: null, maxCollections: 5 } }],
      ["quota.update", "success", "role_quota", "viewer", { role: "viewer", from: none, to: none }],
    ]);

    const viewer = await actorContext("viewer");
    expect((await getQuotas({ ctx: viewer })).find((q) => q.role === "operator")).toMatchObject({ maxConcurrentOperations: 3, maxCollections: 5 });
  });

  it("refuse operators and viewers, auditing the refusal, and change nothing", async () => {
    for (const role of ["operator", "viewer"] as const) {
      const ctx = await actorContext(role);
      await expect(updateQuotas({ ctx, input: { quotas: [{ role, ...none, maxCollections: 1000 }] } })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.error])).toEqual([["quota.update", "denied", "missing permission quota.manage"]]);
    }
    expect(await getDb().select().from(roleQuotas)).toEqual([]);
  });

  it("put each invalid limit on its field, in words, and take an empty form field or a number with separators", async () => {
    const admin = await actorContext("admin");
    const refused = updateQuotas({ ctx: admin, input: { quotas: [{ role: "operator", maxConcurrentOperations: -1, maxPointsPerCollection: "lots", maxCollections: 2.5 }] } });
    const words = "Enter a whole number of 0 or more, or leave it empty for no limit (null in the API).";
    await expect(refused).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: { "quotas.0.maxConcurrentOperations": [words], "quotas.0.maxPointsPerCollection": [words], "quotas.0.maxCollections": [words] },
    });
    await expect(updateQuotas({ ctx: admin, input: { quotas: [{ role: "operator", maxConcurrentOperations: 1 }] } })).rejects.toMatchObject({ fieldErrors: { "quotas.0.maxPointsPerCollection": [words], "quotas.0.maxCollections": [words] } });
    await expect(updateQuotas({ ctx: admin, input: { quotas: [{ role: "root", ...none }] } })).rejects.toMatchObject({ fieldErrors: { "quotas.0.role": ["Choose viewer, operator or admin."] } });
    await expect(updateQuotas({ ctx: admin, input: { quotas: [{ role: "operator", ...none }, { role: "operator", ...none }] } })).rejects.toMatchObject({ fieldErrors: { quotas: ["Give each role at most once."] } });
    expect(await getDb().select().from(roleQuotas)).toEqual([]);

    const saved = await updateQuotas({ ctx: admin, input: { quotas: [{ role: "operator", maxConcurrentOperations: " ", maxPointsPerCollection: "1,000,000", maxCollections: "0" }] } });
    expect(saved.find((q) => q.role === "operator")).toMatchObject({ maxConcurrentOperations: null, maxPointsPerCollection: 1_000_000, maxCollections: 0 });
  });
});
