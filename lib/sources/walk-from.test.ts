import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { walkSourceSync } from "./resolve";
import { walkFrom } from "./walk-from";

describe("walkFrom", () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), "walk-from-"));
    root = path.join(base, "root");
    outside = path.join(base, "outside");
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, "secret.txt"), "x");
    // Files beside folders at every level, names that sort differently from their paths ("a.md" < "a/…" < "b").
    for (const rel of ["z.md", "a.md", "a/b.md", "a/a/c.md", "a/a/d/e.md", "a/z/f.md", "b/g.md", "b/h/i.md", "b/h/j.md", "c.md", "empty/.keep", "m/n/o/p/q.md"]) {
      await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await fs.writeFile(path.join(root, rel), rel);
    }
    await fs.symlink(path.join(root, "c.md"), path.join(root, "link-in.md"));
    await fs.symlink(path.join(outside, "secret.txt"), path.join(root, "link-out.md"));
    await fs.symlink(outside, path.join(root, "linked-folder"));
    return () => fs.rm(base, { recursive: true, force: true });
  });

  const all = () => [...walkSourceSync(root)].map((f) => f.relativePath);

  it("walks in the same order as walkSourceSync, following links only to files inside the root", () => {
    const walked = walkFrom(root, null, 1000, (f) => f.relativePath);
    expect(walked).toEqual({ files: all(), last: all().at(-1), done: true });
    expect(walked.files).toContain("link-in.md");
    expect(walked.files.join(" ")).not.toMatch(/link-out|secret/);
  });

  it("resumes after any path it returned, in slices of any size, with nothing skipped or repeated", () => {
    const expected = all();
    for (const limit of [1, 2, 3, 5]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let calls = 0; calls < 100; calls++) {
        const slice: { files: string[]; last: string | null; done: boolean } = walkFrom(root, cursor, limit, (f) => f.relativePath);
        expect(slice.files.length).toBeLessThanOrEqual(limit);
        seen.push(...slice.files);
        cursor = slice.last;
        if (slice.done) break;
      }
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
  });

  it("stops early when told to, but always makes progress", () => {
    const slice = walkFrom(root, null, 1000, (f) => f.relativePath, () => true);
    expect(slice).toEqual({ files: [all()[0]], last: all()[0], done: false });
  });

  it("resumes from a cursor whose folder has gone since", async () => {
    const slice = walkFrom(root, path.join("gone", "deeper", "x.md"), 1000, (f) => f.relativePath);
    // Files at the root came before any folder; of the folders, those after "gone" remain.
    expect(slice.files).toEqual(all().filter((p) => p.includes(path.sep) && p.split(path.sep)[0]! > "gone"));
  });
});
