import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, gunzipSync, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { BackupFormatError, type BackupErrorCode } from "./errors";
import { splitLines, type LineLimits, type LineStats } from "./lines";
import { DEFAULT_READ_LIMITS, verifyBackup, type ReadBackupOptions } from "./read";
import { backupBytes, sampleManifest, samplePoints, streamOf } from "./test-support";

async function refusal(bytes: Buffer | AsyncIterable<Uint8Array>, options?: ReadBackupOptions): Promise<BackupFormatError> {
  const source = Buffer.isBuffer(bytes) ? streamOf(bytes) : bytes;
  const error = await verifyBackup(source, options).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(BackupFormatError);
  return error as BackupFormatError;
}

async function expectRefused(bytes: Buffer | AsyncIterable<Uint8Array>, code: BackupErrorCode, message: RegExp, options?: ReadBackupOptions) {
  const error = await refusal(bytes, options);
  expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.stringMatching(message) });
}

/** The inflated lines of a good backup, to alter and gzip again (a file whose gzip layer is intact). */
const linesOf = (bytes: Buffer) => gunzipSync(bytes).toString("utf8").split("\n").slice(0, -1);
const regzip = (lines: string[]) => gzipSync(lines.map((l) => l + "\n").join(""));

/**
 * A valid manifest, then `total` bytes of `fill`: one gzip member for each piece, the fill's member
 * repeated (RFC 1952 lets members follow each other), so a 1 GB bomb costs one compression of `fill`.
 */
async function bomb(total: number, fill: Buffer, level: number): Promise<Buffer> {
  const head = linesOf(await backupBytes(sampleManifest(8), []))[0] + "\n";
  const member = gzipSync(fill, { level });
  return Buffer.concat([gzipSync(head), ...Array.from({ length: Math.ceil(total / fill.length) }, () => member)]);
}

/** Hands out `bytes` while counting how much of it the reader pulled before it gave up. */
function counted(bytes: Buffer) {
  const seen = { bytes: 0 };
  async function* source() {
    for await (const chunk of streamOf(bytes, 16 * 1024)) {
      seen.bytes += chunk.length;
      yield chunk as Buffer;
    }
  }
  return { seen, source: source() };
}

let good: Buffer;
beforeAll(async () => {
  good = await backupBytes(sampleManifest(32), samplePoints(3_000, 32));
  expect((await verifyBackup(streamOf(good))).count).toBe(3_000);
});

describe("refusals of a truncated file", () => {
  it("refuses a file cut in half (the gzip stream ends early)", async () => {
    await expectRefused(good.subarray(0, Math.floor(good.length / 2)), "truncated", /ends early/);
  });

  it("refuses a file missing only gzip's 8-byte footer", async () => {
    await expectRefused(good.subarray(0, good.length - 8), "truncated", /ends early/);
  });

  it("refuses a complete gzip file whose trailer line is missing", async () => {
    await expectRefused(regzip(linesOf(good).slice(0, -1)), "truncated", /3000 points without its trailer/);
  });

  it("refuses a file whose last line stops mid-way", async () => {
    const text = linesOf(good).join("\n") + "\n";
    await expectRefused(gzipSync(text.slice(0, text.length - 20)), "truncated", /middle of line 3002/);
  });
});

describe("refusals of a damaged file", () => {
  it("refuses a file with one byte flipped, wherever in the middle it is", async () => {
    for (let k = 1; k < 40; k++) {
      const flipped = Buffer.from(good);
      flipped[Math.floor((flipped.length * k) / 40)]! ^= 0x10;
      const error = await refusal(flipped);
      // Where deflate's decoding goes astray decides which check sees it first; both say "damaged".
      expect(["checksum", "corrupt_line"]).toContain(error.code);
      expect(error.message).toMatch(/damaged/);
    }
  });

  it("refuses a flipped byte in gzip's CRC", async () => {
    const flipped = Buffer.from(good);
    flipped[flipped.length - 6]! ^= 0x01;
    await expectRefused(flipped, "checksum", /integrity check/);
  });

  it("refuses a changed point whose gzip layer was rebuilt (the SHA-256 sees it)", async () => {
    const lines = linesOf(good);
    lines[1500] = lines[1500]!.replace("café", "cafe");
    expect(lines[1500]).not.toBe(linesOf(good)[1500]);
    await expectRefused(regzip(lines), "checksum", /SHA-256/);
  });

  it("refuses a file with a point line removed (the trailer's count)", async () => {
    const lines = linesOf(good);
    lines.splice(10, 1);
    await expectRefused(regzip(lines), "checksum", /says 3000 points but the file holds 2999/);
  });

  it("refuses a point line that is not JSON or not a point", async () => {
    const lines = linesOf(good);
    await expectRefused(regzip([...lines.slice(0, 5), '{"type":"point",', ...lines.slice(5)]), "corrupt_line", /Line 6 is not valid JSON/);
    await expectRefused(regzip([...lines.slice(0, 5), '{"type":"point","id":"x"}', ...lines.slice(5)]), "corrupt_line", /Line 6 .*payload/);
  });

  it("refuses a repeated point and one out of order, though the trailer's count and checksum were made to match", async () => {
    const lines = linesOf(good);
    const points = lines.slice(1, -1);
    const withTrailer = (body: string[]) => {
      const sha256 = createHash("sha256").update(body.map((l) => l + "\n").join("")).digest("hex");
      return regzip([lines[0]!, ...body, JSON.stringify({ type: "trailer", count: body.length, sha256 })]);
    };
    await expectRefused(withTrailer([...points.slice(0, 8), points[7]!, ...points.slice(8)]), "corrupt_line", /Line 10 repeats point p-000000007: .*ascending id order/);
    await expectRefused(withTrailer([...points.slice(0, 8), points[20]!, ...points.slice(8, 20), ...points.slice(21)]), "corrupt_line", /Line 11 lists point p-000000008 after p-000000020/);
  });

  it("refuses a vector of the wrong length", async () => {
    const lines = linesOf(good);
    lines[3] = JSON.stringify({ ...JSON.parse(lines[3]!), vector: Buffer.alloc(12).toString("base64") });
    await expectRefused(regzip(lines), "corrupt_line", /Line 4 .*32-dimensional vector/);
  });
});

describe("refusals of a file of another format", () => {
  it("refuses a file that is not gzip (the README as it is)", async () => {
    await expectRefused(fs.readFileSync(path.resolve("README.md")), "not_a_backup", /not gzip-compressed/);
  });

  it("refuses a gzip'd README", async () => {
    await expectRefused(gzipSync(fs.readFileSync(path.resolve("README.md"))), "not_a_backup", /not JSON lines/);
  });

  it("refuses gzip'd JSON lines of something else", async () => {
    await expectRefused(gzipSync('{"type":"manifest","format":"other-tool","version":1}\n'), "not_a_backup", /another kind/);
    await expectRefused(gzipSync('{"hello": "world"}\n'), "not_a_backup", /another kind/);
  });

  it("refuses an empty file and an empty gzip", async () => {
    await expectRefused(Buffer.alloc(0), "not_a_backup", /empty/);
    await expectRefused(gzipSync(Buffer.alloc(0)), "not_a_backup", /empty/);
  });

  it("refuses a manifest that lacks what a restore needs", async () => {
    const lines = linesOf(good);
    const head = JSON.parse(lines[0]!);
    delete head.collection.dimension;
    await expectRefused(regzip([JSON.stringify(head), ...lines.slice(1)]), "corrupt_line", /collection\.dimension/);
  });
});

describe("refusal of a future format version", () => {
  it("refuses a version 2 manifest, saying to upgrade", async () => {
    const lines = linesOf(good);
    lines[0] = lines[0]!.replace('"version":1,', '"version":2,');
    await expectRefused(regzip(lines), "future_version", /format version 2.*Upgrade Stevedore/);
  });
});

describe("refusals of a gzip bomb", { timeout: 120_000 }, () => {
  const GB = 1024 * 1024 * 1024;

  it("stops a 1 GB bomb of zeros at the line limit, having read a sliver of it", async () => {
    const bytes = await bomb(GB, Buffer.alloc(1024 * 1024), 9);
    expect(bytes.length).toBeLessThan(GB / 500);
    const { seen, source } = counted(bytes);
    await expectRefused(source, "too_large", /Line 2 .*longer than 16 MiB/);
    expect(seen.bytes).toBeLessThan(bytes.length / 10);
  });

  it("stops a 1 GB bomb of valid-looking lines: the reader at the first repeat, the splitter by its inflation ratio and by a total limit", async () => {
    const line = linesOf(await backupBytes(sampleManifest(8), samplePoints(1, 8)))[1] + "\n";
    const bytes = await bomb(GB, Buffer.from(line.repeat(Math.floor((1024 * 1024) / line.length))), 1);
    expect(bytes.length).toBeLessThan(GB / 100);
    const whole = counted(bytes);
    await expectRefused(whole.source, "corrupt_line", /Line 3 repeats point p-000000000/);
    expect(whole.seen.bytes).toBeLessThan(bytes.length / 10);
    // Lines a reader would take one by one (e.g. of a format whose ids are not ordered) meet the splitter's limits.
    const byRatio = counted(bytes);
    await expect(drainLines(byRatio.source, DEFAULT_READ_LIMITS)).rejects.toMatchObject({ code: "too_large", message: expect.stringMatching(/inflates more than 100 times/) });
    expect(byRatio.seen.bytes).toBeLessThan(bytes.length / 2);
    const byTotal = counted(bytes);
    await expect(drainLines(byTotal.source, { ...DEFAULT_READ_LIMITS, maxInflatedBytes: 32 * 1024 * 1024, maxInflationRatio: 1e9 })).rejects.toMatchObject({ code: "too_large", message: expect.stringMatching(/inflates past 32 MiB/) });
  });
});

/** Every line of a gzip source through the splitter, keeping none, counting compressed bytes as the reader does. */
async function drainLines(source: AsyncIterable<Buffer>, limits: LineLimits) {
  const stats: LineStats = { compressedBytes: 0, inflatedBytes: 0, maxBufferedBytes: 0, lines: 0 };
  async function* measured() {
    for await (const chunk of source) {
      stats.compressedBytes += chunk.length;
      yield chunk;
    }
  }
  const gunzip = createGunzip();
  const feeding = pipeline(Readable.from(measured()), gunzip).catch(() => undefined);
  try {
    for await (const line of splitLines(gunzip, limits, stats)) void line;
  } finally {
    gunzip.destroy();
    await feeding;
  }
}

describe("point lines the reader's fast check passes on to zod", () => {
  it("refuses a payload value that is an object or an array, and accepts (dropping) a key the format does not know", async () => {
    const lines = linesOf(good);
    const withLine = (i: number, change: (v: Record<string, unknown>) => void) => {
      const copy = [...lines];
      const value = JSON.parse(copy[i]!) as Record<string, unknown>;
      change(value);
      copy[i] = JSON.stringify(value);
      return copy;
    };
    const rehash = (body: string[]) => {
      const points = body.slice(1, -1);
      const sha256 = createHash("sha256").update(points.map((l) => l + "\n").join("")).digest("hex");
      return regzip([...body.slice(0, -1), JSON.stringify({ type: "trailer", count: points.length, sha256 })]);
    };
    await expectRefused(rehash(withLine(4, (v) => ((v.payload as Record<string, unknown>).nested = { a: 1 }))), "corrupt_line", /Line 5 is not a valid point line \(payload\.nested/);
    await expectRefused(rehash(withLine(4, (v) => ((v.payload as Record<string, unknown>).list = [1]))), "corrupt_line", /Line 5 is not a valid point line \(payload\.list/);
    await expectRefused(rehash(withLine(4, (v) => (v.id = ""))), "corrupt_line", /Line 5 is not a valid point line \(id/);
    await expectRefused(rehash(withLine(4, (v) => (v.vector = 12))), "corrupt_line", /Line 5 is not a valid point line \(vector/);
    const extra = rehash(withLine(4, (v) => (v.extra = "x")));
    expect((await verifyBackup(streamOf(extra))).count).toBe(3_000);
  });
});
