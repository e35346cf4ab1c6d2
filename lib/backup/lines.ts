import { BackupFormatError } from "./errors";

export type LineLimits = {
  /** Decompressed bytes a whole file may hold. */
  maxInflatedBytes: number;
  /** The first line: it carries document metadata, so it may be far longer than a point line. */
  maxManifestBytes: number;
  /** Every other line: a point is a few KB even at thousands of dimensions. */
  maxLineBytes: number;
  /** Decompressed ÷ compressed bytes; vectors and text stay far below it, a bomb far above. */
  maxInflationRatio: number;
};

export type LineStats = {
  compressedBytes: number;
  inflatedBytes: number;
  /** The most bytes of line data the splitter ever held at once: what "bounded memory" is measured by. */
  maxBufferedBytes: number;
  lines: number;
};

/** The ratio is judged only past this much output: a small manifest-only file may compress very well. */
const RATIO_FLOOR_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;
const MiB = 1024 * 1024;

/**
 * Splits decompressed bytes into lines (each with its newline), refusing before it buffers past a
 * limit: a gzip bomb is stopped after at most one limit's worth of output, never inflated whole.
 */
export async function* splitLines(inflated: AsyncIterable<Buffer>, limits: LineLimits, stats: LineStats): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of inflated) {
    if (stats.inflatedBytes === 0 && chunk.length > 0 && chunk[0] !== 0x7b) {
      throw new BackupFormatError("not_a_backup", "The file is gzip-compressed but its content is not JSON lines: it is not a Stevedore backup.");
    }
    stats.inflatedBytes += chunk.length;
    checkInflation(stats, limits);
    let start = 0;
    while (start < chunk.length) {
      const limit = stats.lines === 0 ? limits.maxManifestBytes : limits.maxLineBytes;
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      if (pendingBytes + end - start > limit) throw lineTooLong(stats.lines + 1, limit);
      stats.maxBufferedBytes = Math.max(stats.maxBufferedBytes, pendingBytes + end - start);
      if (newline === -1) {
        // A copy: a slice would keep the whole chunk alive, beyond what the counter sees.
        pending.push(Buffer.from(chunk.subarray(start)));
        pendingBytes += chunk.length - start;
        break;
      }
      const piece = chunk.subarray(start, end);
      const line = pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      start = end;
      stats.lines++;
      yield line;
    }
  }
  if (pendingBytes > 0) {
    throw new BackupFormatError("truncated", `The backup ends in the middle of line ${stats.lines + 1}: it was cut short. Take the backup again, or copy the whole file.`);
  }
}

function checkInflation(stats: LineStats, limits: LineLimits) {
  if (stats.inflatedBytes > limits.maxInflatedBytes) {
    throw new BackupFormatError("too_large", `The backup inflates past ${formatMiB(limits.maxInflatedBytes)}, the most this server reads: refused before reading further. Raise the limit if the backup is genuine.`);
  }
  if (stats.inflatedBytes > RATIO_FLOOR_BYTES && stats.inflatedBytes > stats.compressedBytes * limits.maxInflationRatio) {
    throw new BackupFormatError("too_large", `The file inflates more than ${limits.maxInflationRatio} times its compressed size, which no backup does: it looks like a gzip bomb and was refused.`);
  }
}

function lineTooLong(n: number, limit: number) {
  return new BackupFormatError("too_large", `Line ${n} of the backup is longer than ${formatMiB(limit)}: refused before reading further (the file is damaged, not a backup, or built to exhaust memory).`);
}

const formatMiB = (bytes: number) => (bytes >= 1024 * MiB ? `${Math.round(bytes / (1024 * MiB))} GiB` : `${Math.round(bytes / MiB)} MiB`);
