import { publicFields, cleanText } from "./public-fields";

export type StoredLevel = "debug" | "info" | "warn" | "error";
export type OperationLogRow = { operationId: string; at: Date; level: StoredLevel; message: string; fields: Record<string, unknown> | null };

export type OperationLogSinkOptions = {
  /** Stores one batch; a failure loses that batch (counted), never the caller's work. */
  write: (rows: OperationLogRow[]) => Promise<void>;
  /** Told once per failed batch (never through the logger this sink hangs off, which would loop). */
  onWriteError?: (err: unknown, lost: number) => void;
  batchSize?: number;
  flushIntervalMs?: number;
  /** Lines held in memory at most; past it new lines are dropped and counted. */
  maxBuffered?: number;
  /** debug and info lines stored per operation (warn and error always are). */
  routineCap?: number;
};

export const OPERATION_LOG_ROUTINE_CAP = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Operations whose routine lines are counted in this process; the oldest is forgotten past it. */
const TRACKED_OPERATIONS = 10_000;
/** pino's own fields, and those the operation log has columns or no use for. */
const OMITTED = new Set(["level", "time", "msg", "pid", "hostname", "app", "operationId", "v"]);

function storedLevel(pinoLevel: unknown): StoredLevel {
  const n = typeof pinoLevel === "number" ? pinoLevel : 30;
  return n >= 50 ? "error" : n >= 40 ? "warn" : n >= 30 ? "info" : "debug";
}

/**
 * A pino destination (give it to `pino.multistream`) that keeps the lines carrying an
 * `operationId` for the operation log. `write` only queues: batches go to the database on a
 * timer or when full, one at a time, so the logger's caller never waits for PostgreSQL.
 */
export class OperationLogSink {
  private buffer: OperationLogRow[] = [];
  private readonly dropped = new Map<string, number>();
  private readonly routine = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly routineCap: number;
  /** Lines lost, for the process's own figures: dropped while full, or in a batch that failed. */
  lost = 0;

  constructor(private readonly options: OperationLogSinkOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.flushIntervalMs = options.flushIntervalMs ?? 500;
    this.maxBuffered = options.maxBuffered ?? 5_000;
    this.routineCap = options.routineCap ?? OPERATION_LOG_ROUTINE_CAP;
  }

  /** pino calls this with one serialised line. */
  write(line: string): void {
    // Most lines are not about an operation: skip them before paying for a parse.
    if (!line.includes('"operationId"')) return;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const operationId = parsed.operationId;
    if (typeof operationId !== "string" || !UUID.test(operationId)) return;
    const level = storedLevel(parsed.level);
    if (level === "debug" || level === "info") {
      const count = this.routine.get(operationId) ?? 0;
      if (count > this.routineCap) return;
      this.track(operationId, count + 1);
      if (count === this.routineCap) {
        // The one line that says the cap was reached takes the place of the line past it.
        const cap = this.routineCap.toLocaleString("en-US");
        return this.enqueue({ operationId, at: new Date(), level: "info", message: `This operation logged ${cap} debug and info lines: further ones are left out of this log (warnings and errors are still kept).`, fields: { event: "logger_capped", cap: this.routineCap } });
      }
    }
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parsed)) if (!OMITTED.has(key)) fields[key] = value;
    const cleaned = publicFields(fields);
    this.enqueue({
      operationId,
      at: typeof parsed.time === "number" ? new Date(parsed.time) : new Date(),
      level,
      message: cleanText(typeof parsed.msg === "string" ? parsed.msg : "", 2_000),
      fields: Object.keys(cleaned).length ? cleaned : null,
    });
  }

  /** Stores everything queued, including the "lines dropped" notes; resolves once written (or lost). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Chained behind the batch in flight, so two batches are never written at once.
    this.inFlight = this.inFlight.then(async () => {
      while (this.buffer.length || this.dropped.size) await this.writeBatch();
    });
    await this.inFlight;
  }

  /** Lines queued and not yet written. */
  get pending(): number {
    return this.buffer.length;
  }

  private track(operationId: string, count: number) {
    this.routine.delete(operationId);
    this.routine.set(operationId, count);
    if (this.routine.size > TRACKED_OPERATIONS) this.routine.delete(this.routine.keys().next().value!);
  }

  private enqueue(row: OperationLogRow) {
    if (this.buffer.length >= this.maxBuffered) {
      this.lost++;
      if (this.dropped.has(row.operationId) || this.dropped.size < TRACKED_OPERATIONS) this.dropped.set(row.operationId, (this.dropped.get(row.operationId) ?? 0) + 1);
      return;
    }
    this.buffer.push(row);
    if (this.buffer.length >= this.batchSize) this.schedule(0);
    else this.schedule(this.flushIntervalMs);
  }

  private schedule(delayMs: number) {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inFlight = this.inFlight.then(() => this.writeBatch());
    }, delayMs);
    this.timer.unref();
  }

  /** Writes one batch: the "N lines dropped" notes first (they say what is missing before it), then queued lines. */
  private async writeBatch(): Promise<void> {
    const notes: OperationLogRow[] = [...this.dropped].map(([operationId, n]) => ({
      operationId,
      at: new Date(),
      level: "warn",
      message: `${n.toLocaleString("en-US")} log line(s) dropped: the server's log buffer was full.`,
      fields: { event: "log_lines_dropped", dropped: n },
    }));
    this.dropped.clear();
    const rows = [...notes, ...this.buffer.splice(0, this.batchSize)];
    if (rows.length === 0) return;
    try {
      await this.options.write(rows);
    } catch (err) {
      this.lost += rows.length;
      this.options.onWriteError?.(err, rows.length);
    }
    if (this.buffer.length >= this.batchSize) this.schedule(0);
    else if (this.buffer.length) this.schedule(this.flushIntervalMs);
  }
}
