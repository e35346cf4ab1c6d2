import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { retryPlanOf } from "./bulk-retry";

const op = (type: string, params: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  ({ id: randomUUID(), type, collectionId: randomUUID(), params, result: null, retried: false, ...extra }) as Parameters<typeof retryPlanOf>[0];
const skip = (plan: ReturnType<typeof retryPlanOf>) => ("skip" in plan ? plan.skip : "start");

describe("which failed operations a bulk retry starts again", () => {
  it("starts each retryable type through its own verb, and says why the others are not", () => {
    expect(skip(retryPlanOf(op("SELF_TEST", {}, { collectionId: null })))).toBe("start");
    expect(skip(retryPlanOf(op("APPEND", { sourceId: randomUUID() })))).toBe("start");
    expect(skip(retryPlanOf(op("REMOVE_SOURCE", { sourceId: randomUUID(), source: "manuals" })))).toBe("start");
    expect(skip(retryPlanOf(op("REINDEX", { collection: "docs", settings: { chunkSize: 600 } })))).toBe("start");
    expect(skip(retryPlanOf(op("ROLLBACK", { toVersionId: randomUUID() })))).toBe("start");

    expect(skip(retryPlanOf(op("APPEND", { sourceId: randomUUID() }, { retried: true })))).toBe("already retried");
    expect(skip(retryPlanOf(op("APPEND", { sourceId: randomUUID() }, { collectionId: null })))).toBe("its collection was deleted");
    expect(skip(retryPlanOf(op("APPEND", { retry: true })))).toContain("Dead letters tab");
    expect(skip(retryPlanOf(op("APPEND")))).toBe("its parameters do not name the source");
    expect(skip(retryPlanOf(op("REMOVE_SOURCE", { sourceId: randomUUID() })))).toBe("its parameters do not name the source");
    expect(skip(retryPlanOf(op("REINDEX", { collection: "docs" }, { result: { outcome: "rejected" } })))).toBe("rejected by an approver");
    expect(skip(retryPlanOf(op("INDEX", { sourceId: randomUUID() })))).toContain("append its source again");
    for (const type of ["BACKUP", "RESTORE", "CLEAR"]) expect(skip(retryPlanOf(op(type)))).toBe(`${type} has no retry yet: start it again from its page`);
  });
});
