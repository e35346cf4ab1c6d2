import fs from "node:fs";
import readline from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { encodeVector } from "./vector-codec";
import type { BackupPointInput } from "./write";

/**
 * The benchmark's baseline: points straight to gzip JSON lines and back, with none of the format's
 * checks (no schema, no checksum, no limits), batched as the writer batches so only the checks differ.
 */
export async function writeRawGzipLines(points: AsyncIterable<BackupPointInput> | Iterable<BackupPointInput>, file: string, gzipLevel = 6): Promise<number> {
  async function* lines() {
    let batch = "";
    for await (const p of points) {
      batch += JSON.stringify({ id: p.id, vector: p.vector ? encodeVector(p.vector) : undefined, payload: p.payload }) + "\n";
      if (batch.length < 256 * 1024) continue;
      yield batch;
      batch = "";
    }
    if (batch) yield batch;
  }
  await pipeline(Readable.from(lines()), createGzip({ level: gzipLevel }), fs.createWriteStream(file));
  return fs.statSync(file).size;
}

export async function* readRawGzipLines(file: string): AsyncGenerator<{ id: string; vector: Float32Array | null; payload: unknown }> {
  const input = fs.createReadStream(file).pipe(createGunzip());
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    const value = JSON.parse(line) as { id: string; vector?: string; payload: unknown };
    let vector: Float32Array | null = null;
    if (value.vector) {
      const bytes = Buffer.from(value.vector, "base64");
      vector = new Float32Array(bytes.length / 4);
      new Uint8Array(vector.buffer).set(bytes);
    }
    yield { id: value.id, vector, payload: value.payload };
  }
}
