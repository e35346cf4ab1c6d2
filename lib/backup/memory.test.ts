import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readBackup } from "./read";
import { sampleManifest, samplePoints } from "./test-support";
import { writeBackup } from "./write";

describe("bounded memory", () => {
  it("streams 200,000 points writer → reader holding one line at a time and a few chunks in flight", { timeout: 300_000 }, async () => {
    const total = 200_000;
    let pulled = 0;
    function* counted() {
      for (const p of samplePoints(total, 128)) {
        pulled++;
        yield p;
      }
    }
    const pipe = new PassThrough();
    const writing = writeBackup(sampleManifest(128), counted(), pipe);
    let read = 0;
    let maxInFlight = 0;
    let summary;
    for await (const record of readBackup(pipe)) {
      if (record.type === "point") {
        read++;
        maxInFlight = Math.max(maxInFlight, pulled - read);
      } else if (record.type === "end") summary = record.summary;
    }
    const written = await writing;
    expect(summary!.count).toBe(total);
    expect(summary!.sha256).toBe(written.sha256);
    expect(summary!.inflatedBytes).toBeGreaterThan(150_000_000);
    // The reader's own buffer never held more than a line (~1 KB here) out of 150+ MB that went through it.
    expect(summary!.maxBufferedBytes).toBeLessThan(4 * 1024);
    // Points between the store and the reader: the writer's 256 KiB chunk and the streams' buffers, not the file.
    expect(maxInFlight).toBeLessThan(3_000);
  });
});
