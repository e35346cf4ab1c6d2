import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { operations } from "@/db/schema/operations";
import { reloadEnv } from "@/lib/env";

describe("the app's logger", () => {
  it("stores its lines about an operation in that operation's log once flushed, cleaned, and leaves other lines out", async () => {
    // The suite runs silent; this file's process logs warnings, as the e2e console does.
    process.env.LOG_LEVEL = "warn";
    reloadEnv();
    const { flushOperationLogs, getLogger } = await import("./logger");
    const [op] = await getDb().insert(operations).values({ type: "SELF_TEST", correlationId: randomUUID() }).returning();
    const log = getLogger().child({ operationId: op!.id, correlationId: op!.correlationId });
    log.warn({ err: new Error("upstream said no at /srv/secret/dir/file.txt"), token: "t0k3n" }, "embedding attempt failed");
    log.info("below LOG_LEVEL: not logged, not stored");
    getLogger().warn({ operationIds: [op!.id] }, "a line without an operationId field");
    await flushOperationLogs();
    const rows = await getSql()`select level, message, fields from operation_logs where operation_id = ${op!.id}`;
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { level: "warn", message: "embedding attempt failed", fields: { correlationId: op!.correlationId, err: { class: "Error", message: "upstream said no at file.txt" }, token: "[redacted]" } },
    ]);
  });
});
