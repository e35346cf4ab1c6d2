import fsSync from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import { resolveSourceDirectory } from "./resolve";

/** Directory sources may only come from the allowed roots, and refusals must not reveal what exists elsewhere. */
describe("resolveSourceDirectory", () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-roots-")));
    root = path.join(base, "root");
    outside = path.join(base, "outside");
    await fs.mkdir(path.join(root, "docs"), { recursive: true });
    await fs.mkdir(path.join(outside, "secret"), { recursive: true });
    await fs.writeFile(path.join(root, "file.txt"), "x");
    await fs.symlink(outside, path.join(root, "escape"));
    await fs.symlink("/", path.join(root, "to-slash"));
    await fs.symlink(path.join(root, "docs"), path.join(root, "docs-link"));
    process.env.STEVEDORE_SOURCE_ROOTS = root;
    reloadEnv();
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  const refusal = (p: string) =>
    resolveSourceDirectory(p).then(
      () => null,
      (e: { message: string; fieldErrors?: unknown }) => ({ message: e.message, fieldErrors: e.fieldErrors }),
    );

  it("resolves folders inside a root, through links that stay inside", async () => {
    expect(await resolveSourceDirectory(path.join(root, "docs"))).toBe(path.join(root, "docs"));
    expect(await resolveSourceDirectory(path.join(root, "docs-link"))).toBe(path.join(root, "docs"));
    expect(await resolveSourceDirectory(`${root}/docs/../docs/`)).toBe(path.join(root, "docs"));
  });

  it("gives one answer for everything outside the roots, existing or not, lexically or through a link", async () => {
    const answers = await Promise.all(
      [
        outside, // exists
        path.join(outside, "secret"), // exists
        path.join(outside, "no-such-folder"), // does not exist
        "/etc",
        "/definitely/not/here",
        `${root}/../outside/secret`, // `..` out of the root
        `${root}-sibling/docs`, // a prefix of the root's name is not the root
        path.join(root, "escape"), // a link inside the root to a folder outside
        path.join(root, "escape", "secret"),
        path.join(root, "escape", "no-such-folder"), // the link's target is outside, the path does not exist
        path.join(root, "to-slash", "etc"),
        path.join(root, "to-slash", "no", "such", "thing"),
      ].map(refusal),
    );
    const outsideAnswer = answers[0];
    expect(outsideAnswer).toMatchObject({ message: "That folder is outside the allowed source roots." });
    expect(answers).toEqual(answers.map(() => outsideAnswer));
  });

  it("never touches the filesystem for a path that is lexically outside the roots", async () => {
    const realpath = vi.spyOn(fs, "realpath");
    const stat = vi.spyOn(fs, "stat");
    const syncStat = vi.spyOn(fsSync, "statSync");
    for (const p of ["/etc/passwd", path.join(outside, "secret"), `${root}/../outside`, "/nope/nothing"]) {
      await expect(resolveSourceDirectory(p)).rejects.toMatchObject({ message: "That folder is outside the allowed source roots." });
    }
    expect(realpath).not.toHaveBeenCalled();
    expect(stat).not.toHaveBeenCalled();
    expect(syncStat).not.toHaveBeenCalled();
  });

  it("says 'does not exist' or 'not a folder' only for paths inside the roots", async () => {
    expect(await refusal(path.join(root, "no-such-folder"))).toMatchObject({ message: "That folder does not exist on the server." });
    expect(await refusal(path.join(root, "docs", "deeper", "still"))).toMatchObject({ message: "That folder does not exist on the server." });
    expect(await refusal(path.join(root, "file.txt"))).toMatchObject({ message: "That path is not a folder." });
    expect(await refusal("relative/path")).toMatchObject({ message: "Give an absolute path." });
  });
});
