import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { E2E_COPIES_ROOT } from "../playwright.config";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("operator") });

const NAME = "debian-docs";
const SOURCE = path.join(E2E_COPIES_ROOT, NAME);
const PACKAGES = 30;
const IMAGES = 8;
const DOC = "/usr/share/doc";

/** Magic numbers of the binary formats /usr/share/doc holds (images, archives); none is a document. */
const BINARY_MAGIC = [Buffer.from("89504e47", "hex"), Buffer.from("GIF8"), Buffer.from("ffd8ff", "hex"), Buffer.from("504b0304", "hex")];

type Copied = { rel: string; bytes: Buffer; content: Buffer };

/** What a reader would get out of the file: gzip'd files decompressed, as `zcat` would. */
function contentOf(bytes: Buffer): Buffer {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** This test's own judgement, independent of the parser's: a NUL byte or a binary magic number, or nothing but blanks. */
function trulyNotText(content: Buffer): boolean {
  const head = content.subarray(0, 8192);
  return head.includes(0) || BINARY_MAGIC.some((m) => head.subarray(0, m.length).equals(m)) || content.toString("latin1").trim() === "";
}

function regularFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...regularFiles(full));
    else if (fs.statSync(full, { throwIfNoEntry: false })?.isFile()) out.push(full);
  }
  return out;
}

/**
 * Real files nobody here wrote, as Debian installed them: the whole doc folder of the first 30
 * packages that have a `changelog.Debian.gz` (gzip'd changelogs and NEWS, extensionless
 * `copyright` and README files, examples), plus the first 8 images found anywhere under /usr/share/doc.
 * PDFs are left out: they are documents of their own format, not what this test is about.
 */
function copySample(): Copied[] {
  fs.rmSync(SOURCE, { recursive: true, force: true });
  const picked: Array<{ from: string; rel: string }> = [];
  const packages = fs.readdirSync(DOC).sort().filter((p) => !fs.lstatSync(path.join(DOC, p)).isSymbolicLink() && fs.existsSync(path.join(DOC, p, "changelog.Debian.gz")));
  for (const pkg of packages.slice(0, PACKAGES)) for (const file of regularFiles(path.join(DOC, pkg))) picked.push({ from: file, rel: path.relative(DOC, file) });
  let images = 0;
  for (const file of regularFiles(DOC)) {
    if (images === IMAGES) break;
    const head = Buffer.alloc(8);
    const fd = fs.openSync(file, "r");
    fs.readSync(fd, head, 0, 8, 0);
    fs.closeSync(fd);
    if (!BINARY_MAGIC.slice(0, 3).some((m) => head.subarray(0, m.length).equals(m))) continue;
    picked.push({ from: file, rel: path.join("images", path.relative(DOC, file).replaceAll("/", "--")) });
    images++;
  }
  const copied: Copied[] = [];
  for (const { from, rel } of picked) {
    if (/\.pdf(\.gz)?$/i.test(rel)) continue;
    const bytes = fs.readFileSync(from);
    const content = contentOf(bytes);
    if (content.subarray(0, 5).toString("latin1") === "%PDF-") continue;
    fs.mkdirSync(path.dirname(path.join(SOURCE, rel)), { recursive: true });
    fs.writeFileSync(path.join(SOURCE, rel), bytes);
    copied.push({ rel, bytes, content });
  }
  return copied;
}

/** A file whose content no other copied file has (a copy would be indexed as a duplicate of its original, under the original's path). */
function unique(copied: Copied[], pick: (c: Copied) => boolean): Copied {
  const hash = (c: Copied) => createHash("sha256").update(c.bytes).digest("hex");
  const counts = new Map<string, number>();
  for (const c of copied) counts.set(hash(c), (counts.get(hash(c)) ?? 0) + 1);
  const found = copied.find((c) => pick(c) && counts.get(hash(c)) === 1);
  if (!found) throw new Error("no suitable unique file in the sample");
  return found;
}

test("a copy of Debian's package docs: only what is truly not text is dead; gzip'd changelogs and extensionless copyright files are found by search", async ({ page }) => {
  test.setTimeout(240_000);
  const copied = copySample();
  const gzipped = copied.filter((c) => c.rel.endsWith(".gz"));
  const extensionless = copied.filter((c) => !path.basename(c.rel).includes("."));
  expect(gzipped.length).toBeGreaterThanOrEqual(PACKAGES);
  expect(extensionless.length).toBeGreaterThanOrEqual(PACKAGES);
  const expectedDead = copied.filter((c) => trulyNotText(c.content)).map((c) => c.rel).sort();
  expect(expectedDead.length).toBeGreaterThanOrEqual(1);

  await page.goto("/collections/new");
  const form = page.getByRole("form", { name: "Create collection" });
  await form.getByLabel("Collection name").fill(NAME);
  await form.getByLabel("Source name").fill("package-docs");
  await form.getByLabel("Source folder path").fill(SOURCE);
  await form.getByRole("button", { name: "Create collection" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText(/^succeeded/, { timeout: 200_000 });
  const operationId = page.url().split("/").pop();
  const result = (await (await page.request.get(`/api/v1/operations/${operationId}`)).json()).data.operation.result;
  expect(result.files).toBe(copied.length);

  await page.getByRole("link", { name: "Open the collection" }).click();
  await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  const collectionId = new URL(page.url()).pathname.split("/").pop()!;
  const dead = (await (await page.request.get(`/api/v1/collections/${collectionId}/documents?stage=dead&limit=500`)).json()).data;
  const deadPaths = (dead.documents as Array<{ path: string }>).map((d) => d.path).sort();
  expect(deadPaths).toEqual(expectedDead);

  // A changelog that exists only gzip'd, found by its first line (package and version), in the Search tab.
  const changelog = unique(copied, (c) => c.rel.endsWith("changelog.Debian.gz"));
  const firstLine = changelog.content.toString("utf8").split("\n")[0]!.replace(/[;=]/g, " ");
  await page.getByRole("navigation", { name: "Collection sections" }).getByRole("link", { name: /^Search/ }).click();
  const search = page.getByRole("form", { name: "Search this collection" });
  await search.getByRole("searchbox", { name: "Query" }).fill(firstLine);
  await search.getByRole("button", { name: "Search", exact: true }).click();
  const results = page.getByRole("list", { name: "Search results" }).getByRole("listitem");
  await expect(results.first()).toBeVisible();
  expect((await results.allInnerTexts()).slice(0, 3).join("\n")).toContain(changelog.rel);

  // An extensionless copyright file, found by a line of its own.
  const copyright = unique(copied, (c) => path.basename(c.rel) === "copyright" && /^Upstream-Name: \S+/m.test(c.content.toString("utf8")));
  const upstream = copyright.content.toString("utf8").match(/^(Upstream-Name: \S+)/m)![1]!;
  const found = await page.request.post(`/api/v1/collections/${collectionId}/search`, { data: { query: `${upstream} copyright`, limit: 5 }, headers: { origin: new URL(page.url()).origin } });
  expect(found.status()).toBe(200);
  expect(((await found.json()).data.hits as Array<{ path: string }>).map((h) => h.path)).toContain(copyright.rel);
});
