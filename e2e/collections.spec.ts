import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_SOURCE_ROOT } from "../playwright.config";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("admin") });
test.describe.configure({ mode: "serial" });

const SOURCE = "next-docs";

/** A sentence from one real document, long enough to be distinctive. */
function distinctivePhrase(): { file: string; phrase: string } {
  const file = "01-app/02-guides/authentication.md";
  const text = fs.readFileSync(path.join(E2E_SOURCE_ROOT, file), "utf8");
  const line = text.split("\n").find((l) => /^[A-Z][^#|<>`[\]]{90,}$/.test(l.trim()));
  if (!line) throw new Error(`no suitable sentence in ${file}`);
  return { file, phrase: line.trim().slice(0, 160) };
}

async function operationResult(page: Page): Promise<Record<string, number | undefined>> {
  const id = page.url().split("/").pop();
  const body = await (await page.request.get(`/api/v1/operations/${id}`)).json();
  return body.data.operation.result;
}

/** The collection page is tabs of nested routes; the operation page's link opens the overview. */
async function openTab(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Collection sections" }).getByRole("link", { name: new RegExp(`^${name}`) }).click();
  await expect(page.getByRole("navigation", { name: "Collection sections" }).getByRole("link", { name: new RegExp(`^${name}`) })).toHaveAttribute("aria-current", "page");
}

/** On an operation's page: waits until it has succeeded; `outcome` when it left dead letters behind. */
async function waitForSuccess(page: Page, outcome: string | RegExp = "succeeded") {
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText(outcome, { timeout: 180_000 });
}

/** The real docs have 14 front-matter-only pages: a success that left dead letters, and says so in amber. */
const WITH_FAILURES = /^succeeded with failures \(\d+ % dead\)$/;

test("a collection from 475 real documents: indexed, searchable, appended unchanged, emptied by removing the source", async ({ page }) => {
  test.setTimeout(420_000);
  const files = fs.readdirSync(E2E_SOURCE_ROOT, { recursive: true }).filter((f) => String(f).endsWith(".md")).length;
  expect(files).toBeGreaterThanOrEqual(200);

  await page.goto("/collections");
  await page.getByRole("link", { name: "New collection" }).first().click();
  const form = page.getByRole("form", { name: "Create collection" });
  await form.getByLabel("Collection name").fill("nextdocs");
  await form.getByLabel("Source name").fill(SOURCE);
  await form.getByLabel("Source folder path").fill("/etc");
  await form.getByRole("button", { name: "Create collection" }).click();
  await expect(form.getByText(/Only folders under/)).toBeVisible();
  await form.getByLabel("Source folder path").fill(E2E_SOURCE_ROOT);
  await form.getByRole("button", { name: "Create collection" }).click();
  await waitForSuccess(page, WITH_FAILURES);
  const indexed = await operationResult(page);
  expect(indexed.files).toBe(files);
  expect(indexed.inserted).toBeGreaterThanOrEqual(200);
  expect(indexed.points).toBe(indexed.chunks);
  await expect(page.getByTestId("operation-status")).toHaveText(`succeeded with failures (${Math.round(indexed.failedShare! * 100)} % dead)`);
  await expect(page.getByTestId("operation-status").locator("[data-outcome]")).toHaveClass(/bg-warning/);

  // The log has a line per batch and the finish, and wraps its long lines instead of scrolling sideways.
  const log = page.getByLabel("Operation log");
  await expect(log).toContainText(/Parse batch \S+: \d+ parsed, \d+ dead \(parse_empty \d+/);
  await expect(log).toContainText(`Finished with failures: ${indexed.inserted} indexed`);
  const widths = await log.evaluate((el) => {
    const wrapped = { scroll: el.scrollWidth, client: el.clientWidth };
    const messages = [...el.querySelectorAll<HTMLElement>('[data-testid="log-message"]')];
    for (const m of messages) m.style.whiteSpace = "pre";
    const unwrapped = el.scrollWidth;
    for (const m of messages) m.style.whiteSpace = "";
    return { ...wrapped, unwrapped };
  });
  expect(widths.unwrapped).toBeGreaterThan(widths.client); // it has lines longer than the box
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);

  // Two of those pages are copies of each other: the copy is a dead letter too, and the counts agree.
  expect(indexed.duplicateOfDead).toBeGreaterThan(0);
  await page.getByRole("link", { name: "Open the collection" }).click();
  const stages = page.getByRole("list", { name: "Documents by stage" }).getByRole("listitem");
  await expect(stages.filter({ hasText: "complete" })).toHaveText(new RegExp(`complete\\s*${indexed.inserted! + indexed.duplicate!}$`));
  await expect(stages.filter({ hasText: "dead" })).toHaveText(new RegExp(`dead\\s*${indexed.failed}$`));
  await openTab(page, "Dead letters");
  await expect(page.getByText("duplicate of a dead letter", { exact: false })).toHaveCount(indexed.duplicateOfDead!);
  await openTab(page, "Search");
  const { file, phrase } = distinctivePhrase();
  const search = page.getByRole("form", { name: "Search this collection" });
  await search.getByRole("searchbox", { name: "Query" }).fill(phrase);
  await search.getByRole("button", { name: "Search", exact: true }).click();
  const results = page.getByRole("list", { name: "Search results" }).getByRole("listitem");
  await expect(results.first()).toBeVisible();
  const top3 = (await results.allInnerTexts()).slice(0, 3).join("\n");
  expect(top3).toContain(file);

  await openTab(page, "Sources");
  await page.getByRole("button", { name: "Append new and changed files" }).click();
  await waitForSuccess(page);
  const appended = await operationResult(page);
  expect(appended).toMatchObject({ inserted: 0, unchanged: files });

  await page.getByRole("link", { name: "Open the collection" }).click();
  await openTab(page, "Sources");
  await page.getByRole("button", { name: "Remove source…" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm.getByRole("button", { name: "Remove source" })).toBeDisabled();
  await confirm.getByLabel(`Type ${SOURCE} to confirm`).fill(SOURCE);
  await confirm.getByRole("button", { name: "Remove source" }).click();
  await waitForSuccess(page);
  expect(await operationResult(page)).toMatchObject({ documentsRemoved: files });

  const collectionId = (await (await page.request.get("/api/v1/collections")).json()).data.find((c: { collection: { name: string } }) => c.collection.name === "nextdocs").collection.id;
  const detail = (await (await page.request.get(`/api/v1/collections/${collectionId}`)).json()).data;
  expect(detail.stats.points).toBe(0);
  expect(detail.versions.find((v: { status: string }) => v.status === "active").pointCount).toBe(0);
});

test("the Operations page tells successes with dead letters from clean ones, in its badge and its status filter", async ({ page }) => {
  const collections = (await (await page.request.get("/api/v1/collections")).json()).data as Array<{ collection: { id: string; name: string } }>;
  const collectionId = collections.find((c) => c.collection.name === "nextdocs")!.collection.id;
  const withFailures = (await (await page.request.get(`/api/v1/operations?status=succeeded_with_failures&collectionId=${collectionId}`)).json()).data.rows as Array<{ operation: { id: string } }>;
  expect(withFailures).toHaveLength(1);
  const indexId = withFailures[0]!.operation.id;
  const row = (p: Page) => p.getByRole("row").filter({ has: p.locator(`a[href="/operations/${indexId}"]`) });

  await page.goto("/operations");
  await expect(row(page).locator("[data-outcome]")).toHaveText(WITH_FAILURES);
  await page.getByLabel("Status").selectOption("succeeded_with_failures");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=succeeded_with_failures/);
  await expect(row(page)).toHaveCount(1);
  const badges = await page.locator("tbody [data-outcome]").allInnerTexts();
  expect(badges.length).toBeGreaterThan(0);
  expect(badges.every((b) => WITH_FAILURES.test(b))).toBe(true);

  // "succeeded" alone is a clean success: the APPEND and the removal, not the INDEX.
  await page.getByLabel("Status").selectOption("succeeded");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=succeeded&/);
  await expect(page.locator("tbody [data-outcome]").first()).toHaveText("succeeded");
  await expect(row(page)).toHaveCount(0);

  // The collection's own operations list (its Operations tab) shows the same badge.
  await page.goto(`/collections/${collectionId}/operations`);
  await expect(page.getByRole("table", { name: "Operations" }).getByRole("row").filter({ has: page.locator(`a[href="/operations/${indexId}"]`) }).locator("[data-outcome]")).toHaveText(WITH_FAILURES);
});

test("files uploaded from the browser are indexed and found; an oversized one is refused with its reason", async ({ page }) => {
  test.setTimeout(180_000);
  const collections = (await (await page.request.get("/api/v1/collections")).json()).data as Array<{ collection: { id: string; name: string } }>;
  const collectionId = collections.find((c) => c.collection.name === "nextdocs")!.collection.id;
  await page.goto(`/collections/${collectionId}/sources`);
  const form = page.getByRole("form", { name: "Upload files" });
  await form.getByLabel(/^Files/).setInputFiles([
    { name: "berth-plan.md", mimeType: "text/markdown", buffer: Buffer.from("# Berth plan\n\nThe vessel Marigold docks at berth nine every second Tuesday.") },
    { name: "too-big.txt", mimeType: "text/plain", buffer: Buffer.alloc(21 * 1024 * 1024, 98) },
  ]);
  await form.getByRole("button", { name: "Upload and index" }).click();
  await expect(form.getByText(/Not uploaded: too-big.txt/)).toBeVisible({ timeout: 30_000 });
  await form.getByRole("link", { name: "Follow the operation" }).click();
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 120_000 });

  await page.getByRole("link", { name: "Open the collection" }).click();
  await openTab(page, "Search");
  const search = page.getByRole("form", { name: "Search this collection" });
  await search.getByRole("searchbox", { name: "Query" }).fill("Marigold docks at berth nine");
  await search.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByRole("list", { name: "Search results" }).getByRole("listitem").first()).toContainText("berth-plan.md");
});

test("a collection created from files uploaded in the form: no server folder needed", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/collections/new");
  const form = page.getByRole("form", { name: "Create collection" });
  await form.getByLabel("Files from this computer").check();
  await expect(form.getByLabel("Source folder path")).toHaveCount(0);
  await form.getByLabel("Collection name").fill("handbook");
  await form.getByRole("button", { name: "Create collection" }).click();
  await expect(form.getByText("Choose at least one file.")).toBeVisible();
  await expect(form.getByLabel("Collection name")).toHaveValue("handbook");

  await form.getByLabel("Files", { exact: true }).setInputFiles([
    { name: "tides.md", mimeType: "text/markdown", buffer: Buffer.from("# Tides\n\nThe pilot boards at slack water off the breakwater lighthouse.") },
    { name: "cranes.txt", mimeType: "text/plain", buffer: Buffer.from("Gantry crane four is out of service until the hydraulic seals arrive.") },
  ]);
  await form.getByRole("button", { name: "Create collection" }).click();
  await waitForSuccess(page);
  expect(await operationResult(page)).toMatchObject({ inserted: 2, failed: 0 });

  await page.getByRole("link", { name: "Open the collection" }).click();
  await openTab(page, "Search");
  const search = page.getByRole("form", { name: "Search this collection" });
  await search.getByRole("searchbox", { name: "Query" }).fill("hydraulic seals for the gantry crane");
  await search.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByRole("list", { name: "Search results" }).getByRole("listitem").first()).toContainText("cranes.txt");
});

test("an admin deletes a collection after typing its name; it leaves the list and its name is free", async ({ page }) => {
  const collections = (await (await page.request.get("/api/v1/collections")).json()).data as Array<{ collection: { id: string; name: string } }>;
  const handbook = collections.find((c) => c.collection.name === "handbook")!.collection;
  await page.goto(`/collections/${handbook.id}`);
  await openTab(page, "Settings");
  await page.getByRole("button", { name: "Delete collection" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm.getByRole("button", { name: "Delete collection" })).toBeDisabled();
  await confirm.getByLabel("Type handbook to confirm").fill("handboo");
  await expect(confirm.getByRole("button", { name: "Delete collection" })).toBeDisabled();
  await confirm.getByLabel("Type handbook to confirm").fill("handbook");
  await confirm.getByRole("button", { name: "Delete collection" }).click();
  await expect(page).toHaveURL(/\/collections\?deleted=handbook$/);
  await expect(page.getByText("Collection handbook was deleted.")).toBeVisible();
  await expect(page.getByRole("link", { name: "handbook", exact: true })).toHaveCount(0);
  expect((await page.request.get(`/api/v1/collections/${handbook.id}`)).status()).toBe(404);
});

test("a viewer sees no delete button, and the API refuses the deletion", async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile("viewer") });
  const page = await context.newPage();
  const collections = (await (await page.request.get("/api/v1/collections")).json()).data as Array<{ collection: { id: string; name: string } }>;
  const nextdocs = collections.find((c) => c.collection.name === "nextdocs")!.collection;
  await page.goto(`/collections/${nextdocs.id}`);
  await expect(page.getByRole("heading", { name: "nextdocs" })).toBeVisible();
  await openTab(page, "Settings");
  await expect(page.getByText("Only an admin can delete a collection.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete collection" })).toHaveCount(0);
  const base = new URL(page.url()).origin;
  const refused = await page.request.delete(`/api/v1/collections/${nextdocs.id}?confirmName=nextdocs`, { headers: { origin: base } });
  expect(refused.status()).toBe(403);
  await context.close();
});
