import os from "node:os";

const LITTLE_ENDIAN = os.endianness() === "LE";

/** Base64 of the vector as little-endian float32: the file is the same whichever machine wrote it. */
export function encodeVector(vector: Float32Array | number[]): string {
  const f32 = vector instanceof Float32Array ? vector : Float32Array.from(vector);
  const bytes = Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength);
  return (LITTLE_ENDIAN ? bytes : Buffer.from(bytes).swap32()).toString("base64");
}

/** The vector back, or null when the text is not base64 of exactly `dimension` float32s. */
export function decodeVector(text: string, dimension: number): Float32Array | null {
  const byteLength = dimension * 4;
  // Buffer.from skips characters that are not base64, so the lengths are what prove it clean.
  if (text.length !== Math.ceil(byteLength / 3) * 4) return null;
  const bytes = Buffer.from(text, "base64");
  if (bytes.length !== byteLength) return null;
  if (!LITTLE_ENDIAN) bytes.swap32();
  // A copy: the decoded bytes may sit at an offset float32 cannot be read from.
  const out = new Float32Array(dimension);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
