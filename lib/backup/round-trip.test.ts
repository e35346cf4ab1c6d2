import { createHash } from "node:crypto";
import { PassThrough, Writable } from "node:stream";
import { gunzipSync, gzipSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readBackup, readBackupManifest, verifyBackup, type BackupPoint } from "./read";
import { backupBytes, sampleManifest, samplePoints, streamOf } from "./test-support";
import { writeBackup } from "./write";

describe("the writer's manifest limit", () => {
  it("refuses to write a manifest the reader would refuse, before writing anything", async () => {
    const manifest = sampleManifest(8, { documents: Array.from({ length: 2000 }, (_, i) => ({ id: `d${i}`, sourceId: "s1", path: `docs/file-${i}.md`, contentHash: "ab".repeat(32), sizeBytes: 1000, chunkCount: 3 })) });
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (chunks.push(chunk), done()) });
    await expect(writeBackup(manifest, samplePoints(10, 8), sink, { maxManifestBytes: 64 * 1024 })).rejects.toMatchObject({ code: "too_large", message: expect.stringMatching(/2000 documents.*some sources at a time/) });
    expect(Buffer.concat(chunks).length).toBeLessThan(100);
    // Within the limit the same manifest is written and read back.
    const bytes = await backupBytes(manifest, samplePoints(10, 8), { maxManifestBytes: 1024 * 1024 });
    expect((await readBackupManifest(streamOf(bytes))).documents).toHaveLength(2000);
  });
});

async function readAll(bytes: Buffer) {
  const points: BackupPoint[] = [];
  let manifest, summary;
  for await (const record of readBackup(streamOf(bytes))) {
    if (record.type === "manifest") manifest = record.manifest;
    else if (record.type === "point") points.push(record.point);
    else summary = record.summary;
  }
  return { manifest: manifest!, points, summary: summary! };
}

const f32Bytes = (v: Float32Array | number[] | null) => Buffer.from(Float32Array.from(v ?? []).buffer);

describe("backup round trip", () => {
  it("gives back every point with its exact float32 vector and its unicode payload", async () => {
    const manifest = sampleManifest(24, { counts: { points: 500, documents: 1, sources: 1 } });
    const bytes = await backupBytes(manifest, samplePoints(500, 24));
    const { manifest: read, points, summary } = await readAll(bytes);
    const expected = [...samplePoints(500, 24)];
    expect(points.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    points.forEach((p, i) => {
      expect(p.vector).toBeInstanceOf(Float32Array);
      expect(f32Bytes(p.vector)).toEqual(f32Bytes(expected[i]!.vector));
      expect(p.payload).toEqual(expected[i]!.payload);
    });
    expect(read.note).toBe("before the model change — «ünïcödé» 備份 🚢");
    expect(read.aliasHistory[0]).toMatchObject({ fromVersion: 2, toVersion: 3, reason: "reindex" });
    expect(read.goldenQueries).toEqual([{ query: "how to restore", expectedDocumentIds: ["d1"] }]);
    expect(summary.count).toBe(500);
  });

  it("keeps number[] vectors as the float32 a store would hold, NaN and -0 included", async () => {
    const vector = [0.1, -0, Number.NaN, 1e-45, 3.4e38, -1 / 3];
    const bytes = await backupBytes(sampleManifest(6), [{ id: "x", vector, payload: {} }]);
    const { points } = await readAll(bytes);
    expect(f32Bytes(points[0]!.vector)).toEqual(f32Bytes(vector));
  });

  it("writes no vector field when the backup has none, and reads the points back without one", async () => {
    const manifest = sampleManifest(24, { vectors: { included: false, unitLength: null } });
    const bytes = await backupBytes(manifest, samplePoints(50, 24));
    const lines = gunzipSync(bytes).toString("utf8").trimEnd().split("\n");
    expect(lines.slice(1, -1).every((l) => !l.includes('"vector"'))).toBe(true);
    const { points } = await readAll(bytes);
    expect(points).toHaveLength(50);
    expect(points.every((p) => p.vector === null)).toBe(true);
    expect(points[7]!.payload).toEqual([...samplePoints(8, null)][7]!.payload);
  });

  it("is the documented layout: manifest first, base64 little-endian float32, a trailer hashing the point lines", async () => {
    const bytes = await backupBytes(sampleManifest(3), [{ id: "a", vector: [1, -2, 0.5], payload: { t: "é" } }]);
    const text = gunzipSync(bytes).toString("utf8");
    const [head, point, trailer, rest] = text.split("\n");
    expect(head).toMatch(/^\{"type":"manifest","format":"stevedore-backup","version":1,/);
    const parsed = JSON.parse(point!);
    const le = Buffer.alloc(12);
    [1, -2, 0.5].forEach((x, i) => le.writeFloatLE(x, i * 4));
    expect(parsed).toEqual({ type: "point", id: "a", vector: le.toString("base64"), payload: { t: "é" } });
    const sha256 = createHash("sha256").update(point + "\n").digest("hex");
    expect(JSON.parse(trailer!)).toEqual({ type: "trailer", count: 1, sha256 });
    expect(rest).toBe("");
  });

  it("writes a schema-only backup as manifest and an empty trailer, and refuses points for it", async () => {
    const manifest = sampleManifest(4, { kind: "schema", vectors: { included: false, unitLength: null } });
    const summary = await verifyBackup(streamOf(await backupBytes(manifest, [])));
    expect(summary).toMatchObject({ count: 0, sha256: createHash("sha256").digest("hex") });
    await expect(backupBytes(manifest, samplePoints(1, 4))).rejects.toThrow(/schema-only/);
  });

  it("refuses to write a vector of the wrong dimension or a missing one", async () => {
    await expect(backupBytes(sampleManifest(4), [{ id: "a", vector: [1, 2, 3], payload: {} }])).rejects.toThrow(/3 dimensions/);
    await expect(backupBytes(sampleManifest(4), [{ id: "a", vector: null, payload: {} }])).rejects.toThrow(/no vector/);
  });

  it("refuses to write a point twice or out of ascending id order (a reader would refuse the file)", async () => {
    const p = (id: string) => ({ id, vector: [1, 0, 0, 0], payload: {} });
    await expect(backupBytes(sampleManifest(4), [p("a"), p("b"), p("b")])).rejects.toThrow(/point b comes after b/);
    await expect(backupBytes(sampleManifest(4), [p("a"), p("c"), p("b")])).rejects.toThrow(/point b comes after c/);
  });

  it("reads only the manifest for a dry run, not the rest of the file", async () => {
    const bytes = await backupBytes(sampleManifest(64), samplePoints(20_000, 64));
    let pulled = 0;
    async function* counted() {
      for await (const chunk of streamOf(bytes, 16 * 1024)) {
        pulled += chunk.length;
        yield chunk;
      }
    }
    const manifest = await readBackupManifest(counted());
    expect(manifest.collection.dimension).toBe(64);
    expect(pulled).toBeLessThan(bytes.length / 4);
  });

  it("pulls points only as fast as the destination takes bytes (backpressure)", async () => {
    let pulled = 0;
    function* counted() {
      for (const p of samplePoints(200_000, 128)) {
        pulled++;
        yield p;
      }
    }
    let release: () => void = () => undefined;
    let received = 0;
    // Takes the first chunks, then holds the next write until released: a client that stopped reading.
    const stalled = new Writable({ highWaterMark: 16 * 1024, write: (chunk: Buffer, _e, done) => ((received += chunk.length), received < 256 * 1024 ? done() : (release = done)) });
    const writing = writeBackup(sampleManifest(128), counted(), stalled);
    await new Promise((r) => setTimeout(r, 1500));
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(5_000);
    stalled.destroy();
    release();
    await expect(writing).rejects.toThrow();
  });

  it("holds the compressed output to the rate limit", async () => {
    // Random vectors barely compress, so about 2.4 MB reach the destination.
    const sink = new PassThrough();
    sink.resume();
    const started = performance.now();
    const result = await writeBackup(sampleManifest(256), samplePoints(2_000, 256), sink, { rateLimitMBps: 2 });
    const seconds = (performance.now() - started) / 1000;
    expect(result.bytes).toBeGreaterThan(2_000_000);
    expect(seconds).toBeGreaterThanOrEqual(((result.bytes - 64 * 1024) / 2_000_000) * 0.95);
  });

  it("stops reading when its signal is aborted (a cancelled operation)", async () => {
    const bytes = await backupBytes(sampleManifest(64), samplePoints(20_000, 64));
    const controller = new AbortController();
    let read = 0;
    const reading = (async () => {
      for await (const record of readBackup(streamOf(bytes, 16 * 1024), { signal: controller.signal })) {
        if (record.type === "point" && ++read === 100) controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ name: "AbortError" });
    expect(read).toBeLessThan(5_000);
  });
});

/**
 * The gzip members of a file, split by inflating one member's deflate data at a time: Node's gzip
 * writes a 10-byte header (no optional fields), then deflate data, then an 8-byte CRC and size.
 */
function gzipMembers(bytes: Buffer): Buffer[] {
  const members: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    expect([bytes[offset], bytes[offset + 1], bytes[offset + 3]]).toEqual([0x1f, 0x8b, 0]);
    // With `info`, zlib says how much input the raw inflate took: it stops at the deflate stream's end.
    const { engine } = inflateRawSync(bytes.subarray(offset + 10), { info: true } as never) as unknown as { engine: { bytesWritten: number } };
    const length = 10 + engine.bytesWritten + 8;
    members.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return members;
}

describe("the file's gzip layout (independent members, compressed in parallel)", () => {
  it("writes the manifest, blocks of point lines and the trailer as separate gzip members that any gunzip reads as one stream", async () => {
    const points = 6_000;
    const bytes = await backupBytes(sampleManifest(256, { counts: { points, documents: 1, sources: 1 } }), samplePoints(points, 256));
    const members = gzipMembers(bytes);
    // ~1.4 KB a line: the point lines fill several 512 KiB blocks, each its own member.
    expect(members.length).toBeGreaterThan(10);
    const inflated = members.map((m) => gunzipSync(m).toString("utf8"));
    expect(inflated[0]!.startsWith('{"type":"manifest"')).toBe(true);
    expect(inflated[0]!.endsWith("\n")).toBe(true);
    expect(inflated.at(-1)!.startsWith('{"type":"trailer"')).toBe(true);
    // Every member ends at a line's end: no line straddles two members.
    for (const text of inflated) expect(text.endsWith("\n")).toBe(true);
    // The concatenation is what the single-stream gunzip gives, and it is what our reader verifies.
    expect(inflated.join("")).toBe(gunzipSync(bytes).toString("utf8"));
    const { summary, points: read } = await readAll(bytes);
    expect(summary.count).toBe(points);
    expect(read.map((p) => p.id)).toEqual([...samplePoints(points, 256)].map((p) => p.id));
    // The SHA-256 is over the point lines, in order, whatever the members: the same as over the inflated text's point lines.
    const lines = inflated.join("").split("\n").slice(1, -2).map((l) => l + "\n").join("");
    expect(summary.sha256).toBe(createHash("sha256").update(lines).digest("hex"));
  });

  it("still reads a backup written as one gzip stream (as earlier versions wrote them)", async () => {
    const text = gunzipSync(await backupBytes(sampleManifest(16, { counts: { points: 3_000, documents: 1, sources: 1 } }), samplePoints(3_000, 16))).toString("utf8");
    const single = gzipSync(text, { level: 6 });
    expect(gzipMembers(single)).toHaveLength(1);
    const { summary } = await readAll(single);
    expect(summary.count).toBe(3_000);
  });

  it("refuses a file whose damage lies in a later member", async () => {
    const bytes = await backupBytes(sampleManifest(256, { counts: { points: 6_000, documents: 1, sources: 1 } }), samplePoints(6_000, 256));
    const members = gzipMembers(bytes);
    const damaged = members.map((m) => Buffer.from(m));
    // The middle of the sixth member's deflate data.
    damaged[5]![Math.floor(damaged[5]!.length / 2)]! ^= 0x10;
    const error = await verifyBackup(streamOf(Buffer.concat(damaged))).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: expect.stringMatching(/^(checksum|corrupt_line)$/), message: expect.stringMatching(/damaged/) });
  });
});
