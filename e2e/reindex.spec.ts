import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_COPIES_ROOT } from "../playwright.config";
import { OPERATOR, stateFile } from "./fixtures";
import { copyReadmes, proseLines } from "./machine-files";
import { checkpoint, historyRows, versionsTable } from "./reindex-pages";
import { searchLoop } from "./search-loop";

test.use({ storageState: stateFile("operator"), actionTimeout: 20_000 });
test.describe.configure({ mode: "serial" });

const NAME = "debian-readmes";
const FILES = 60;
const SOURCE = path.join(E2E_COPIES_ROOT, NAME);
const SHOTS = "test-results/reindex";
let collectionId = "";
let phrases: { file: string; text: string }[] = [];

/** A full-page screenshot from the top, so the sticky header does not cover what is scrolled under it. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const operationOf = (page: Page) => new URL(page.url()).pathname.split("/").pop()!;
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
  const files = copyReadmes(SOURCE, FILES);
  phrases = proseLines(SOURCE, files);
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

test("one walk, with 20 searches a second through the API throughout: a reindex to a new chunk size from the form, its checkpoints and report, approval, search; a rollback from the Versions tab; a second reindex; the alias history holds all three", async ({ page, browser, playwright, baseURL }) => {
  test.setTimeout(420_000);
  const api = await playwright.request.newContext({ baseURL, storageState: stateFile("operator"), extraHTTPHeaders: { origin: baseURL! } });
  const stopSearching = searchLoop(api, collectionId, phrases.map((p) => p.text));
  /** The REINDEX, ROLLBACK and REINDEX this walk starts, in order. */
  const operations: string[] = [];
  let searched: Awaited<ReturnType<typeof stopSearching>> | undefined;
  try {
    await test.step("the form: the diff, the estimate, a wrong name refused on its field, a start that waits for approval", async () => {
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
      operations.push(operationOf(page));
      await expect(page.getByRole("heading", { name: "REINDEX operation" })).toBeVisible();
    });

    await test.step("every checkpoint, live, up to the approval; the validation report", async () => {
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
    });

    await test.step("a viewer reads the same report and status, with no buttons, and is offered no reindex", async () => {
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
    });

    await test.step("approve: the switch and the cleanup; the settings and the Search tab follow the new version", async () => {
      const approval = page.getByRole("region", { name: "Approval" });
      await approval.getByLabel("Comment (optional)").fill("Smaller chunks for the README search");
      await approval.getByRole("button", { name: "Approve and switch to v2" }).click();
      await expect(approval.getByTestId("approval-decision")).toContainText(`Approved by ${OPERATOR.email} at`);
      await expect(approval.getByTestId("approval-decision")).toContainText("Smaller chunks for the README search");
      await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 60_000 });
      await expect(checkpoint(page, "switch")).toContainText("v1 → v2");
      await expect(checkpoint(page, "cleanup")).toContainText(/v1 kept for rollback until \d{4}-\d\d-\d\d/);
      for (const name of ["approval", "switch", "cleanup"]) await expect(checkpoint(page, name).locator("[data-state]")).toHaveText("succeeded");

      await page.goto(`/collections/${collectionId}/settings`);
      await expect(page.getByRole("definition").filter({ hasText: /^600 chars$/ })).toBeVisible();
      await expect(page.getByText("The live version (v2)")).toBeVisible();
      await tab(page, "Search").click();
      const search = page.getByRole("form", { name: "Search this collection" });
      await search.getByRole("searchbox", { name: "Query" }).fill(phrases[0]!.text);
      await search.getByRole("button", { name: "Search", exact: true }).click();
      const results = page.getByRole("list", { name: "Search results" }).getByRole("listitem");
      await expect(results.first()).toBeVisible();
      await expect(results.filter({ hasText: phrases[0]!.file }).first()).toBeVisible();
    });

    await test.step("the Versions tab: both versions, Keep toggled, a rollback that asks first and shows its checks", async () => {
      await tab(page, "Versions").click();
      await expect(tab(page, "Versions")).toHaveAttribute("aria-current", "page");
      await expect(versionsTable(page).locator("tbody tr")).toHaveCount(2);
      await expect(versionsTable(page).getByTestId("version-2")).toContainText("active");
      await expect(versionsTable(page).getByTestId("version-2")).toContainText("chunks 600 / 150 overlap");
      await expect(versionsTable(page).getByTestId("version-1")).toContainText("retired");
      await expect(versionsTable(page).getByTestId("version-1")).toContainText("chunks 1,200 / 150 overlap");
      await expect(page.getByTestId("deletion-v1")).toHaveText(/^in 2[34] h \d+ min$/);
      await expect(historyRows(page)).toHaveCount(2);
      await expect(page.getByText("Nothing is listed for deletion.")).toBeVisible();
      const keep = page.getByRole("switch", { name: "Keep version 1 past its rollback window" });
      await expect(keep).toHaveAttribute("aria-checked", "false");
      await keep.click();
      await expect(keep).toHaveAttribute("aria-checked", "true");
      await expect(versionsTable(page).getByTestId("version-1")).toContainText("Kept: not deleted");
      await keep.click();
      await expect(keep).toHaveAttribute("aria-checked", "false");
      await expect(page.getByTestId("deletion-v1")).toHaveText(/^in 2[34] h/);

      await page.getByRole("button", { name: "Roll back to version 1" }).click();
      const dialog = page.getByRole("alertdialog", { name: "Roll back to version 1?" });
      await expect(dialog).toContainText("Version 2, live now, is then kept for the rollback window (24 h)");
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await expect(dialog).toBeHidden();
      await page.getByRole("button", { name: "Roll back to version 1" }).click();
      await dialog.getByRole("button", { name: "Roll back to version 1" }).click();
      await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
      operations.push(operationOf(page));
      await expect(page.getByRole("heading", { name: "ROLLBACK operation" })).toBeVisible();
      await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 90_000 });
      await expect(page.getByRole("table", { name: "Checkpoints" }).locator("tr[data-checkpoint]")).toHaveCount(3);
      await expect(checkpoint(page, "validation")).toContainText("no document added since");
      await expect(checkpoint(page, "switch")).toContainText("v2 → v1");
      await expect(checkpoint(page, "cleanup")).toContainText("v2 kept for rollback until");
      const checks = page.getByRole("table", { name: "Validation gates" });
      await expect(checks.getByRole("row").filter({ hasText: "Point count" })).toContainText("pass");
      await expect(checks.getByRole("row").filter({ hasText: "Documents added since the switch" })).toContainText("pass");
      await expect(page.getByRole("region", { name: "Approval" })).toHaveCount(0);
      await shot(page, "6-rollback");
    });

    await test.step("a second reindex from the form, without approval: the switch follows the validation", async () => {
      const form = await openReindexForm(page);
      await expect(form.getByLabel("Chunk size")).toHaveValue("1200");
      await form.getByLabel("Chunk size").fill("800");
      await form.getByLabel(`Type ${NAME} to confirm`).fill(NAME);
      await form.getByRole("button", { name: "Start reindex" }).click();
      await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
      operations.push(operationOf(page));
      await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 150_000 });
      await expect(checkpoint(page, "staging")).toContainText(`${NAME}__v3`);
      await expect(checkpoint(page, "approval").locator("[data-state]")).toHaveText("not required");
      await expect(checkpoint(page, "switch")).toContainText("v1 → v3");
      await expect(page.getByTestId("validation-verdict")).toHaveText("passed");
    });

    await test.step("the alias history: the index, the reindex, the rollback and the second reindex, each linked to its operation", async () => {
      await page.goto(`/collections/${collectionId}/versions`);
      const rows = historyRows(page);
      await expect(rows).toHaveCount(4);
      const expected = [
        ["1 → 3", "reindex", "Operation of the reindex to version 3"],
        ["2 → 1", "rollback", "Operation of the rollback to version 1"],
        ["1 → 2", "reindex", "Operation of the reindex to version 2"],
      ] as const;
      for (const [i, [move, reason]] of expected.entries()) {
        await expect(rows.nth(i)).toContainText(move);
        await expect(rows.nth(i)).toContainText(reason);
        await expect(rows.nth(i)).toContainText(OPERATOR.email);
      }
      await expect(rows.nth(3)).toContainText("— → 1");
      await expect(versionsTable(page).getByTestId("version-3")).toContainText("active");
      await expect(versionsTable(page).getByTestId("version-3")).toContainText("chunks 800 / 150 overlap");
      await shot(page, "7-alias-history");
      // Each row links to the operation that moved the alias; the newest is followed.
      const newestFirst = [...operations].reverse();
      for (const [i, [, , link]] of expected.entries()) await expect(rows.nth(i).getByRole("link", { name: link })).toHaveAttribute("href", `/operations/${newestFirst[i]}`);
      await rows.first().getByRole("link", { name: expected[0][2] }).click();
      await expect(page).toHaveURL(new RegExp(`/operations/${newestFirst[0]}$`));
      await expect(page.getByRole("heading", { name: "REINDEX operation" })).toBeVisible();
      await expect(page.getByTestId("operation-status")).toHaveText("succeeded");
    });

    await test.step("a viewer sees the versions and the history with nothing to change", async () => {
      const viewer = await browser.newContext({ storageState: stateFile("viewer") });
      const viewerPage = await viewer.newPage();
      await viewerPage.goto(`/collections/${collectionId}/versions`);
      await expect(historyRows(viewerPage)).toHaveCount(4);
      await expect(versionsTable(viewerPage).getByTestId("version-1")).toContainText("Not kept");
      await expect(viewerPage.getByRole("switch")).toHaveCount(0);
      await expect(viewerPage.getByRole("button", { name: /^Roll back/ })).toHaveCount(0);
      await expect(viewerPage.getByText("An operator can roll back.")).toBeVisible();
      await viewer.close();
    });
  } finally {
    searched = await stopSearching();
    await api.dispose();
    console.log(`reindex walk: ${searched.queries} searches through the API in ${searched.seconds.toFixed(0)} s (${(searched.queries / searched.seconds).toFixed(1)}/s), ${searched.failed.length} failed, ${searched.empty} empty`);
  }
  expect(searched.failed).toEqual([]);
  expect(searched.empty).toBe(0);
  expect(searched.queries).toBeGreaterThan(0);
});
