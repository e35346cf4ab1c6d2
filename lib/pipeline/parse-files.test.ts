import { describe, expect, it } from "vitest";
import type { ParsedFile } from "@/lib/workers/tasks";
import { parseFilesBounded, TOO_BIG_TO_PARSE } from "./parse-files";

const outOfMemory = () => Object.assign(new Error("Worker terminated due to reaching memory limit: JS heap out of memory"), { code: "ERR_WORKER_OUT_OF_MEMORY" });
const parsed = (path: string): ParsedFile => ({ kind: "parsed", text: path, title: null, contentHash: path, chunkCount: 1 });

describe("parseFilesBounded", () => {
  type Input = { files: Array<{ root: string | null; path: string }>; maxBytes: number; chunkSize: number; chunkOverlap: number };
  const input = (paths: string[]): Input => ({ files: paths.map((path) => ({ root: "/r", path })), maxBytes: 1 << 20, chunkSize: 1000, chunkOverlap: 100 });

  it("parses a group that ran out of memory a file at a time, refusing only the file that does so alone", async () => {
    const calls: string[][] = [];
    const run = async (i: Input) => {
      calls.push(i.files.map((f) => f.path));
      if (i.files.some((f) => f.path === "huge.html")) throw outOfMemory();
      return i.files.map((f) => parsed(f.path));
    };
    const out = await parseFilesBounded(input(["a.md", "huge.html", "b.txt"]), run);
    expect(out).toEqual([parsed("a.md"), { kind: "refused", reason: "too_large", message: TOO_BIG_TO_PARSE }, parsed("b.txt")]);
    expect(calls).toEqual([["a.md", "huge.html", "b.txt"], ["a.md"], ["huge.html"], ["b.txt"]]);
  });

  it("lets any other failure through, for the step to retry", async () => {
    await expect(parseFilesBounded(input(["a.md"]), async () => Promise.reject(new Error("pipeline worker thread exited with code 1")))).rejects.toThrow(/exited/);
  });
});
