import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { E2E_COPIES_ROOT } from "../playwright.config";
import { e2eDatabase } from "./database";
import { E2E_ADMIN, OPERATOR, stateFile } from "./fixtures";

test.use({ storageState: stateFile("operator"), actionTimeout: 20_000 });
test.describe.configure({ mode: "serial" });

const NAME = "debian-readmes";
const FILES = 60;
const SOURCE = path.join(E2E_COPIES_ROOT, NAME);
const SHOTS = "test-results/reindex";
let collectionId = "";
let phrase: { file: string; text: string } | null = null;

/**
 * Real files nobody here wrote: the first 60 distinct README files of this machine's packages
 * (plain text, 400 B – 20 KB), copied as `<package>--<name>` so their names stay unique.
 */
function copyReadmes(): string[] {
  fs.rmSync(SOURCE, { recursive: true, force: true });
  fs.mkdirSync(SOURCE, { recursive: true });
  const seen = new Set<string>();
  const copied: string[] = [];
  for (const pkg of fs.readdirSync("/usr/share/doc").sort()) {
    const dir = path.join("/usr/share/doc", pkg);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.startsWith("README") && !n.endsWith(".gz")).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const stat = fs.lstatSync(file);
      if (!stat.isFile() || stat.size < 400 || stat.size > 20_000) continue;
      const bytes = fs.readFileSync(file);
      const hash = createHash("sha256").update(bytes).digest("hex");
      if (seen.has(hash)) continue;
      seen.add(hash);
      const copy = `${pkg}--${name}`;
      fs.writeFileSync(path.join(SOURCE, copy), bytes);
      copied.push(copy);
      if (copied.length === FILES) return copied;
    }
  }
  throw new Error(`only ${copied.length} distinct README files under /usr/share/doc`);
}

/** A long line of prose from one copied file: the search after the switch must find that file. */
function distinctiveLine(files: string[]): { file: string; text: string } {
  for (const file of files) {
    const line = fs
      .readFileSync(path.join(SOURCE, file), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .find((l) => /^[A-Za-z][A-Za-z ,.'()-]{70,}$/.test(l));
    if (line) return { file, text: line.slice(0, 120) };
  }
  throw new Error("no line of prose in the copied files");
}

/** A full-page screenshot from the top, so the sticky header does not cover what is scrolled under it. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const checkpoint = (page: Page, name: string): Locator => page.getByRole("table", { name: "Checkpoints" }).locator(`tr[data-checkpoint="${name}"]`);
const tab = (page: Page, name: string) => page.getByRole("navigation", { name: "Collection sections" }).getByRole("link", { name: new RegExp(`^${name}`) });

async function openReindexForm(page: Page) {
  await page.goto(`/collections/${collectionId}/settings`);
  // The sentence that says the settings are fixed is the way in, beside the Reindex… action.
  await page.getByRole("link", { name: "changing them is a reindex" }).click();
  await expect(page).toHaveURL(new RegExp(`/collections/${collectionId}/reindex$`));
  await expect(tab(page, "Settings")).toHaveAttribute("aria-current", "page");
  return page.getByRole("form", { name: "Reindex collection" });
}

test("a collection from 60 README files of this machine's packages is indexed", async ({ page }) => {
  test.setTimeout(180_000);
  const files = copyReadmes();
  phrase = distinctiveLine(files);
  await page.goto("/collections/new");
  const form = page.getByRole("form", { name: "Create collection" });
  await form.getByLabel("Collection name").fill(NAME);
  await form.getByLabel("Source name").fill("readmes");
  await form.getByLabel("Source folder path").fill(SOURCE);
  await form.getByRole("button", { name: "Create collection" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 150_000 });
  await page.getByRole("link", { name: "Open the collection" }).click();
  await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  collectionId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(tab(page, "Documents")).toHaveText(new RegExp(`${FILES}$`));
});

test("the reindex form shows the change and the estimate, refuses a wrong name on its field, and starts a reindex that waits for approval", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const form = await openReindexForm(page);
  const chunkSize = form.getByLabel("Chunk size");
  await expect(chunkSize).toHaveValue("1200");
  await expect(form.getByLabel("Embedding model")).toHaveValue("builtin-hash-384");
  const start = form.getByRole("button", { name: "Start reindex" });
  // Nothing changed yet: the start is held back, and says why.
  await expect(start).toBeDisabled();
  await expect(form.getByText("These are the current settings: change at least one to reindex.")).toBeVisible();

  await chunkSize.fill("600");
  const diff = form.getByRole("table", { name: "Settings diff" });
  const chunkRow = diff.getByRole("row").filter({ hasText: "Chunk size" });
  await expect(chunkRow).toContainText("1,200 chars");
  await expect(chunkRow).toContainText("600 chars");
  await expect(chunkRow).toHaveAttribute("data-changed", "true");
  await expect(diff.getByRole("row").filter({ hasText: "Embedding model" })).not.toHaveAttribute("data-changed", "true");
  const estimate = form.getByRole("definition");
  await expect(form.getByRole("term").filter({ hasText: "Documents" })).toBeVisible();
  await expect(estimate.filter({ hasText: `${FILES} to re-chunk and re-embed` })).toBeVisible();
  // Smaller chunks: more points than now, and only an estimate of how many.
  await expect(estimate.filter({ hasText: /^about [\d,]+ \(now [\d,]+\)$/ })).toBeVisible();
  await expect(estimate.filter({ hasText: /needed of .* available/ })).toBeVisible();
  await expect(estimate.filter({ hasText: /documents\/s, from this collection's last INDEX\/APPEND operation/ })).toBeVisible();
  await form.getByLabel("Throttle (documents/s, optional)").fill("5");
  await expect(estimate.filter({ hasText: /^about .+ with the throttle of 5 documents\/s/ })).toBeVisible();
  await expect(start).toBeEnabled();
  await shot(page, "1-form-diff-estimate");

  // The typed confirmation: a wrong name is refused by the verb, on the field, and nothing starts.
  const confirm = form.getByLabel(`Type ${NAME} to confirm`);
  await confirm.fill("debian-readme");
  await start.click();
  await expect(form.getByText(`Type “${NAME}” to confirm.`)).toBeVisible();
  await expect(confirm).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(new RegExp(`/collections/${collectionId}/reindex$`));
  await expect(chunkSize).toHaveValue("600");

  await form.getByLabel("Throttle (documents/s, optional)").fill("");
  await form.getByLabel("Require approval before the switch").check();
  await confirm.fill(NAME);
  await expect(form.getByText(`Type “${NAME}” to confirm.`)).toHaveCount(0);
  await start.click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "REINDEX operation" })).toBeVisible();

  // Each checkpoint appears, in order, live; the approval waits.
  for (const name of ["preflight", "staging", "reprocessing", "validation"]) {
    await expect(checkpoint(page, name).locator("[data-state]")).toHaveText("succeeded", { timeout: 120_000 });
  }
  await expect(checkpoint(page, "approval").locator("[data-state]")).toHaveText("awaiting decision", { timeout: 30_000 });
  await expect(checkpoint(page, "switch").locator("[data-state]")).toHaveText("not yet");
  await expect(checkpoint(page, "cleanup").locator("[data-state]")).toHaveText("not yet");
  await expect(checkpoint(page, "staging")).toContainText(`building v2 (${NAME}__v2)`);
  await expect(checkpoint(page, "reprocessing")).toContainText(`${FILES} documents`);
  await expect(page.getByTestId("operation-status")).toHaveText("waiting");

  await expect(page.getByTestId("validation-verdict")).toHaveText("passed");
  const gates = page.getByRole("table", { name: "Validation gates" });
  for (const gate of ["Point count", "Dimension", "Top-k overlap", "Recall"]) await expect(gates.getByRole("row").filter({ hasText: gate })).toContainText("pass");
  // New chunks score differently by design: the drift is shown, not held against the reindex.
  await expect(gates.getByRole("row").filter({ hasText: "Score drift" })).toContainText("not gated");
  await page.getByText(/^Per-query results: \d+ queries/).click();
  await expect(page.getByRole("table", { name: "Validation queries" }).getByRole("row").nth(1)).toBeVisible();
  const approval = page.getByRole("region", { name: "Approval" });
  await expect(approval).toContainText("Validation passed: ");
  await expect(approval.getByRole("button", { name: "Approve and switch to v2" })).toBeVisible();
  await shot(page, "2-awaiting-approval");

  // A viewer reads the same report and status, with no buttons, and is offered no reindex.
  const viewer = await browser.newContext({ storageState: stateFile("viewer") });
  const viewerPage = await viewer.newPage();
  await viewerPage.goto(page.url());
  await expect(viewerPage.getByTestId("validation-verdict")).toHaveText("passed");
  await expect(viewerPage.getByRole("region", { name: "Approval" })).toContainText("An operator or an admin decides");
  await expect(viewerPage.getByRole("button", { name: /Approve|Reject/ })).toHaveCount(0);
  await viewerPage.goto(`/collections/${collectionId}/settings`);
  await expect(viewerPage.getByText("changing them is a reindex, which an operator or an admin starts")).toBeVisible();
  await expect(viewerPage.getByRole("link", { name: /Reindex/ })).toHaveCount(0);
  await viewerPage.goto(`/collections/${collectionId}/reindex`);
  await expect(viewerPage.getByRole("form", { name: "Reindex collection" })).toHaveCount(0);
  await viewer.close();

  await approval.getByLabel("Comment (optional)").fill("Smaller chunks for the README search");
  await approval.getByRole("button", { name: "Approve and switch to v2" }).click();
  await expect(approval.getByTestId("approval-decision")).toContainText(`Approved by ${OPERATOR.email} at`);
  await expect(approval.getByTestId("approval-decision")).toContainText("Smaller chunks for the README search");
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect(checkpoint(page, "switch")).toContainText("v1 → v2");
  await expect(checkpoint(page, "cleanup")).toContainText(/v1 kept for rollback until \d{4}-\d\d-\d\d/);
  for (const name of ["approval", "switch", "cleanup"]) await expect(checkpoint(page, name).locator("[data-state]")).toHaveText("succeeded");
  await shot(page, "3-finished-timeline");
});

test("after the switch the settings show the new chunk size and searches answer from the new version", async ({ page }) => {
  await page.goto(`/collections/${collectionId}/settings`);
  await expect(page.getByRole("definition").filter({ hasText: /^600 chars$/ })).toBeVisible();
  await expect(page.getByText("The live version (v2)")).toBeVisible();

  await tab(page, "Search").click();
  const search = page.getByRole("form", { name: "Search this collection" });
  await search.getByRole("searchbox", { name: "Query" }).fill(phrase!.text);
  await search.getByRole("button", { name: "Search", exact: true }).click();
  const results = page.getByRole("list", { name: "Search results" }).getByRole("listitem");
  await expect(results.first()).toBeVisible();
  await expect(results.filter({ hasText: phrase!.file }).first()).toBeVisible();
  await page.goto(`/collections/${collectionId}/settings`);
  await shot(page, "4-settings-after-switch");
});

test("where the approver must be someone else, the requester's approval is refused on the panel; another operator's rejection asks first and keeps the live version", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // No page sets a collection's reindex policy yet: the rule is set where the verb reads it.
  const sql = e2eDatabase();
  await sql`update collections set reindex_policy = ${sql.json({ distinctApprover: true })} where id = ${collectionId}`;
  await sql.end();

  const form = await openReindexForm(page);
  await expect(form.getByLabel("Chunk size")).toHaveValue("600");
  await form.getByLabel("Chunk overlap").fill("100");
  await form.getByLabel("Require approval before the switch").check();
  await form.getByLabel(`Type ${NAME} to confirm`).fill(NAME);
  await form.getByRole("button", { name: "Start reindex" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  const approval = page.getByRole("region", { name: "Approval" });
  await expect(approval.getByRole("button", { name: "Approve and switch to v3" })).toBeVisible({ timeout: 120_000 });
  await approval.getByRole("button", { name: "Approve and switch to v3" }).click();
  await expect(approval.getByRole("alert")).toHaveText("This collection requires the approver to be someone other than the requester.");
  await expect(checkpoint(page, "approval").locator("[data-state]")).toHaveText("awaiting decision");

  const admin = await browser.newContext({ storageState: stateFile("admin") });
  const adminPage = await admin.newPage();
  await adminPage.goto(page.url());
  const adminApproval = adminPage.getByRole("region", { name: "Approval" });
  await expect(checkpoint(adminPage, "approval").locator("[data-state]")).toHaveText("awaiting decision");
  // Filled again until it holds: text typed into the server-rendered page before React hydrates is
  // replaced by the controlled field's state.
  await expect(async () => {
    await adminApproval.getByLabel("Comment (optional)").fill("Overlap of 100 loses context");
    await expect(adminApproval.getByLabel("Comment (optional)")).toHaveValue("Overlap of 100 loses context", { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await adminApproval.getByRole("button", { name: "Reject…" }).click();
  const dialog = adminPage.getByRole("alertdialog", { name: "Reject this reindex?" });
  await expect(dialog).toContainText("v3 is deleted and nothing switches: searches stay on v2");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(checkpoint(adminPage, "approval").locator("[data-state]")).toHaveText("awaiting decision");
  await expect(adminApproval.getByLabel("Comment (optional)")).toHaveValue("Overlap of 100 loses context");
  await adminApproval.getByRole("button", { name: "Reject…" }).click();
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(adminApproval.getByTestId("approval-decision")).toContainText(`Rejected by ${E2E_ADMIN.email}`);
  await admin.close();

  // The requester's page follows on its own.
  await expect(approval.getByTestId("approval-decision")).toContainText(`Rejected by ${E2E_ADMIN.email}`, { timeout: 30_000 });
  await expect(approval.getByTestId("approval-decision")).toContainText("Overlap of 100 loses context");
  await expect(page.getByTestId("operation-status")).toHaveText("rejected", { timeout: 60_000 });
  await expect(checkpoint(page, "switch").locator("[data-state]")).toHaveText("did not run");
  await page.goto(`/collections/${collectionId}/settings`);
  await expect(page.getByRole("definition").filter({ hasText: /^150 chars$/ })).toBeVisible();
  await expect(page.getByText("The live version (v2)")).toBeVisible();
});

test("a rollback (started through the API; the Versions tab has the button, see versions.spec) shows its three checkpoints and its checks, and brings the old settings back", async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const started = await page.request.post(`/api/v1/collections/${collectionId}/rollback`, { data: {}, headers: { origin: baseURL! } });
  expect(started.status()).toBe(202);
  const { operationId } = (await started.json()).data as { operationId: string };
  await page.goto(`/operations/${operationId}`);
  await expect(page.getByRole("heading", { name: "ROLLBACK operation" })).toBeVisible();
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 90_000 });
  const rows = page.getByRole("table", { name: "Checkpoints" }).locator("tr[data-checkpoint]");
  await expect(rows).toHaveCount(3);
  await expect(checkpoint(page, "validation")).toContainText("no document added since");
  await expect(checkpoint(page, "switch")).toContainText("v2 → v1");
  await expect(checkpoint(page, "cleanup")).toContainText("v2 kept for rollback until");
  const checks = page.getByRole("table", { name: "Validation gates" });
  await expect(checks.getByRole("row").filter({ hasText: "Point count" })).toContainText("pass");
  await expect(checks.getByRole("row").filter({ hasText: "Documents added since the switch" })).toContainText("pass");
  await expect(page.getByRole("region", { name: "Approval" })).toHaveCount(0);
  await shot(page, "5-rollback");
  await page.goto(`/collections/${collectionId}/settings`);
  await expect(page.getByRole("definition").filter({ hasText: /^1,200 chars$/ })).toBeVisible();
  await expect(page.getByText("The live version (v1)")).toBeVisible();
});
