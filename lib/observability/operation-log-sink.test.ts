import { randomUUID } from "node:crypto";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { operations } from "@/db/schema/operations";
import { insertOperationLogs } from "./logger";
import { OperationLogSink, type OperationLogRow } from "./operation-log-sink";
import { publicError, publicFields, REDACTED } from "./public-fields";

/** A sink whose batches are kept in memory, and a pino logger writing into it as the app's does. */
function sinkWithLogger(options: Partial<ConstructorParameters<typeof OperationLogSink>[0]> = {}) {
  const batches: OperationLogRow[][] = [];
  const sink = new OperationLogSink({ write: async (rows) => void batches.push(rows), flushIntervalMs: 60_000, ...options });
  const logger = pino({ level: "debug", base: { app: "stevedore" } }, pino.multistream([{ level: "debug", stream: sink }]));
  return { sink, logger, batches, rows: () => batches.flat() };
}

describe("the operation log sink", () => {
  it("keeps only the lines that carry an operationId, with their level, message and fields, and never makes the caller wait", async () => {
    const { sink, logger, rows, batches } = sinkWithLogger();
    const operationId = randomUUID();
    logger.info({ component: "x" }, "not about an operation");
    logger.child({ operationId, correlationId: "corr-1" }).warn({ batch: "b1" }, "batch retried");
    logger.child({ operationId: "not-a-uuid" }).info("ignored");
    expect(batches).toHaveLength(0); // queued, not written while logging
    expect(sink.pending).toBe(1);
    await sink.flush();
    expect(rows()).toEqual([{ operationId, at: expect.any(Date), level: "warn", message: "batch retried", fields: { correlationId: "corr-1", batch: "b1" } }]);
  });

  it("writes in batches of batchSize without waiting for the timer", async () => {
    const { logger, batches, sink } = sinkWithLogger({ batchSize: 10 });
    const log = logger.child({ operationId: randomUUID() });
    for (let i = 0; i < 25; i++) log.info({ i }, `line ${i}`);
    await new Promise((r) => setTimeout(r, 50));
    expect(batches.map((b) => b.length)).toEqual([10, 10]);
    await sink.flush();
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches.flat().map((r) => r.message)).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i}`));
  });

  it("stays bounded when the database is slow: drops past maxBuffered and says how many in the operation's log", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const written: OperationLogRow[] = [];
    const sink = new OperationLogSink({ write: async (rows) => { await gate; written.push(...rows); }, batchSize: 5, maxBuffered: 20, flushIntervalMs: 60_000 });
    const logger = pino({ level: "info" }, pino.multistream([{ level: "info", stream: sink }]));
    const operationId = randomUUID();
    for (let i = 0; i < 100; i++) logger.child({ operationId }).info(`line ${i}`);
    expect(sink.pending).toBeLessThanOrEqual(20);
    release();
    await sink.flush();
    const dropped = written.filter((r) => r.fields?.event === "log_lines_dropped");
    const kept = written.length - dropped.length;
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ operationId, level: "warn", fields: { dropped: 100 - kept } });
    expect(dropped[0]!.message).toBe(`${100 - kept} log line(s) dropped: the server's log buffer was full.`);
    expect(sink.lost).toBe(100 - kept);
    expect(kept).toBeLessThanOrEqual(25);
  });

  it("caps debug and info lines per operation with one line saying so, and keeps every warning and error", async () => {
    const { logger, rows, sink } = sinkWithLogger({ routineCap: 5, batchSize: 1000 });
    const chatty = logger.child({ operationId: randomUUID() });
    const other = randomUUID();
    for (let i = 0; i < 20; i++) chatty.info(`routine ${i}`);
    chatty.error("still kept");
    chatty.warn("kept too");
    logger.child({ operationId: other }).info("another operation has its own count");
    await sink.flush();
    const messages = rows().map((r) => r.message);
    expect(messages.filter((m) => m.startsWith("routine"))).toEqual(["routine 0", "routine 1", "routine 2", "routine 3", "routine 4"]);
    expect(messages.filter((m) => m.startsWith("This operation logged 5 debug and info lines"))).toHaveLength(1);
    expect(messages).toContain("still kept");
    expect(messages).toContain("kept too");
    expect(rows().find((r) => r.operationId === other)?.message).toBe("another operation has its own count");
  });

  it("cleans fields: no stack, paths as basenames, secrets redacted, an error as class and short message", async () => {
    const { logger, rows, sink } = sinkWithLogger();
    const err = new TypeError("connect ECONNREFUSED to postgres://app:hunter2@db:5432/x while reading /srv/docs/private/report.pdf\n    at Socket.<anonymous> (/work/app/node_modules/pg/lib/x.js:1:1)");
    logger.child({ operationId: randomUUID() }).error({ err, path: "/srv/docs/private/report.pdf", apiKey: "sk-123", headers: { authorization: "Bearer abc", cookie: "s=1" }, password: "p", url: "https://user:pw@example.com/v1", count: 3 }, "failed reading /srv/docs/private/report.pdf");
    await sink.flush();
    const [row] = rows();
    expect(row!.message).toBe("failed reading report.pdf");
    expect(row!.fields).toEqual({
      err: { class: "TypeError", message: `connect ECONNREFUSED to postgres://${REDACTED}@db:5432/x while reading report.pdf` },
      path: "report.pdf",
      apiKey: REDACTED,
      headers: { authorization: REDACTED, cookie: REDACTED },
      password: REDACTED,
      url: `https://${REDACTED}@example.com/v1`,
      count: 3,
    });
    expect(JSON.stringify(row)).not.toMatch(/stack|node_modules|hunter2|sk-123|\/srv\//);
    expect(publicFields({ nested: { token: "t", note: "Bearer xyz" } })).toEqual({ nested: { token: REDACTED, note: `Bearer ${REDACTED}` } });
    expect(publicError({ type: "EmbedderError", message: "x".repeat(400) }).message.length).toBeLessThanOrEqual(160);
  });

  it("a write that fails loses that batch (counted and told), not the next one", async () => {
    let fail = true;
    const told: number[] = [];
    const written: OperationLogRow[] = [];
    const sink = new OperationLogSink({ write: async (rows) => { if (fail) throw new Error("db down"); written.push(...rows); }, onWriteError: (_e, lost) => told.push(lost), flushIntervalMs: 60_000 });
    const logger = pino({ level: "info" }, pino.multistream([{ level: "info", stream: sink }]));
    const log = logger.child({ operationId: randomUUID() });
    log.info("lost");
    await sink.flush();
    fail = false;
    log.info("kept");
    await sink.flush();
    expect(told).toEqual([1]);
    expect(sink.lost).toBe(1);
    expect(written.map((r) => r.message)).toEqual(["kept"]);
  });

  it("stores a batch in operation_logs, skipping lines of an operation that does not exist", async () => {
    const [op] = await getDb().insert(operations).values({ type: "SELF_TEST", correlationId: randomUUID() }).returning();
    const sink = new OperationLogSink({ write: insertOperationLogs, flushIntervalMs: 60_000 });
    const logger = pino({ level: "info" }, pino.multistream([{ level: "info", stream: sink }]));
    logger.child({ operationId: op!.id }).warn({ stage: "embed" }, "stored");
    logger.child({ operationId: randomUUID() }).warn("nowhere to go");
    await sink.flush();
    expect(sink.lost).toBe(0);
    const stored = await getSql()`select level, message, fields from operation_logs where operation_id = ${op!.id}`;
    expect(stored.map((r) => ({ ...r }))).toEqual([{ level: "warn", message: "stored", fields: { stage: "embed" } }]);
  });
});
