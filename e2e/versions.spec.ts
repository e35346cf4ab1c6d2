import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_COPIES_ROOT } from "../playwright.config";
import { expectNoRawError, OPERATOR, stateFile } from "./fixtures";
import { copyCopyrights, distinctiveLine } from "./machine-files";
import { checkpoint, historyRows, versionsTable } from "./reindex-pages";

test.use({ storageState: stateFile("admin") });
test.describe.configure({ mode: "serial" });

const NAME = "licences";
const SOURCE = path.join(E2E_COPIES_ROOT, "copyrights");
const FILES = 40;
let collectionId = "";

async function finished(request: APIRequestContext, operationId: string) {
  let operation: { status: string; error: string | null } = { status: "queued", error: null };
  await expect
    .poll(async () => (operation = (await (await request.get(`/api/v1/operations/${operationId}`)).json()).data.operation).status, { timeout: 180_000, intervals: [1000] })
    .toMatch(/^(succeeded|failed|cancelled)$/);
  return operation;
}


async function licences(page: Page): Promise<string> {
  const rows = (await (await page.request.get("/api/v1/collections")).json()).data as Array<{ collection: { id: string; name: string } }>;
  return (collectionId ||= rows.find((r) => r.collection.name === NAME)!.collection.id);
}

test("a collection of 40 copyright files: the Versions tab shows its one version and the alias move of its INDEX", async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const files = copyCopyrights(SOURCE, FILES);
  expect(files).toHaveLength(FILES);
  const created = await page.request.post("/api/v1/collections", { data: { name: NAME, source: { kind: "directory", name: "copyrights", path: SOURCE }, chunkSize: 1200, chunkOverlap: 150 }, headers: { origin: baseURL! } });
  expect(created.status()).toBe(201);
  ({ collectionId } = (await created.json()).data);
  expect((await finished(page.request, (await created.json()).data.operationId)).status).toBe("succeeded");

  // Reindexing, Keep and rolling back from this tab are walked through in reindex.spec.
  await page.goto(`/collections/${collectionId}/versions`);
  await expect(page.getByRole("navigation", { name: "Collection sections" }).getByRole("link", { name: "Versions" })).toHaveAttribute("aria-current", "page");
  await expect(versionsTable(page).locator("tbody tr")).toHaveCount(1);
  await expect(versionsTable(page).getByTestId("version-1")).toContainText("active");
  await expect(versionsTable(page).getByTestId("version-1")).toContainText("chunks 1,200 / 150 overlap");
  await expect(historyRows(page)).toHaveCount(1);
  await expect(historyRows(page).first()).toContainText("— → 1");
  await expect(historyRows(page).first()).toContainText("index");
  await expect(page.getByText("Nothing is listed for deletion.")).toBeVisible();
  await expectNoRawError(page);
});

test("a golden query added by path: an unknown path is refused on the field, and “Try it” finds the expected document", async ({ page, baseURL }) => {
  await licences(page);
  const { file, line } = distinctiveLine(SOURCE, fs.readdirSync(SOURCE).map((pkg) => `${pkg}/copyright`));
  await page.goto(`/collections/${collectionId}/versions`);
  const form = page.getByRole("form", { name: "Add a golden query" });
  await form.getByLabel("Query").fill(line);
  await form.getByLabel("Expected documents").fill(`${file}\nno-such-package/copyright`);
  await form.getByRole("button", { name: "Add golden query" }).click();
  await expect(form.getByText("Not in this collection: no-such-package/copyright.")).toBeVisible();
  await expect(form.getByLabel("Expected documents")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Query")).toHaveValue(line);

  await form.getByLabel("Expected documents").fill(file);
  await form.getByRole("button", { name: "Add golden query" }).click();
  const item = page.getByRole("listitem", { name: `Golden query “${line}”` });
  await expect(item).toBeVisible();
  await expect(item.getByRole("link", { name: file })).toBeVisible();
  await expect(form.getByLabel("Query")).toHaveValue("");
  await item.getByRole("button", { name: /^Try “/ }).click();
  await expect(item.getByRole("status")).toHaveText(/^Found 1 of 1 expected document in the live version's top 10\./);
  await expect(item.getByText(/^found, #\d+$/)).toBeVisible();
  await page.screenshot({ path: "test-results/versions-tab-golden-query.png", fullPage: true });
  // The same through the API: refused on the field, created, deleted.
  const api = `/api/v1/collections/${collectionId}/golden-queries`;
  const headers = { origin: baseURL! };
  const refused = await page.request.post(api, { data: { query: "licence", expected: ["nope/copyright"] }, headers });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.fieldErrors).toEqual({ expected: ["Not in this collection: nope/copyright."] });
  const created = await page.request.post(api, { data: { query: "licence terms", expected: [file] }, headers });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()).data;
  expect((await (await page.request.get(api)).json()).data.map((q: { query: string }) => q.query)).toEqual([line, "licence terms"]);
  expect((await page.request.delete(`${api}/${id}`, { headers })).status()).toBe(200);
  expect((await page.request.delete(`${api}/${id}`, { headers })).status()).toBe(404);
});

test("where the policy says the approver must be someone else, the requester's approval is refused on the panel; an operator's rejection asks first and keeps the live version", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await licences(page);
  await page.goto(`/collections/${collectionId}/versions`);
  const policy = page.getByRole("form", { name: "Reindex policy" });
  await policy.getByLabel("Approver must be someone else").selectOption("yes");
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByText("Saved.")).toBeVisible();

  await page.goto(`/collections/${collectionId}/reindex`);
  const form = page.getByRole("form", { name: "Reindex collection" });
  await expect(form.getByLabel("Chunk size")).toHaveValue("1200");
  await form.getByLabel("Chunk size").fill("800");
  await form.getByLabel("Chunk overlap").fill("80");
  await form.getByLabel("Require approval before the switch").check();
  await form.getByLabel(`Type ${NAME} to confirm`).fill(NAME);
  await form.getByRole("button", { name: "Start reindex" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  const approval = page.getByRole("region", { name: "Approval" });
  await expect(approval.getByRole("button", { name: "Approve and switch to v2" })).toBeVisible({ timeout: 120_000 });
  await approval.getByRole("button", { name: "Approve and switch to v2" }).click();
  await expect(approval.getByRole("alert")).toHaveText("This collection requires the approver to be someone other than the requester.");
  await expect(checkpoint(page, "approval").locator("[data-state]")).toHaveText("awaiting decision");

  const operator = await browser.newContext({ storageState: stateFile("operator") });
  const otherPage = await operator.newPage();
  await otherPage.goto(page.url());
  const otherApproval = otherPage.getByRole("region", { name: "Approval" });
  await expect(checkpoint(otherPage, "approval").locator("[data-state]")).toHaveText("awaiting decision");
  // Filled again until it holds: text typed into the server-rendered page before React hydrates is
  // replaced by the controlled field's state.
  await expect(async () => {
    await otherApproval.getByLabel("Comment (optional)").fill("Shorter chunks split the licence texts");
    await expect(otherApproval.getByLabel("Comment (optional)")).toHaveValue("Shorter chunks split the licence texts", { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await otherApproval.getByRole("button", { name: "Reject…" }).click();
  const dialog = otherPage.getByRole("alertdialog", { name: "Reject this reindex?" });
  await expect(dialog).toContainText("v2 is deleted and nothing switches: searches stay on v1");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(checkpoint(otherPage, "approval").locator("[data-state]")).toHaveText("awaiting decision");
  await expect(otherApproval.getByLabel("Comment (optional)")).toHaveValue("Shorter chunks split the licence texts");
  await otherApproval.getByRole("button", { name: "Reject…" }).click();
  await dialog.getByRole("button", { name: "Reject" }).click();
  await expect(otherApproval.getByTestId("approval-decision")).toContainText(`Rejected by ${OPERATOR.email}`);
  await operator.close();

  // The requester's page follows on its own.
  await expect(approval.getByTestId("approval-decision")).toContainText(`Rejected by ${OPERATOR.email}`, { timeout: 30_000 });
  await expect(approval.getByTestId("approval-decision")).toContainText("Shorter chunks split the licence texts");
  await expect(page.getByTestId("operation-status")).toHaveText("rejected", { timeout: 60_000 });
  await expect(checkpoint(page, "switch").locator("[data-state]")).toHaveText("did not run");
  await page.goto(`/collections/${collectionId}/settings`);
  await expect(page.getByRole("definition").filter({ hasText: /^150 chars$/ })).toBeVisible();
  await expect(page.getByText("The live version (v1)")).toBeVisible();
});

test("an admin edits the reindex policy: a bound is refused on its field, a saved value replaces the default", async ({ page, baseURL }) => {
  await licences(page);
  await page.goto(`/collections/${collectionId}/versions`);
  const form = page.getByRole("form", { name: "Reindex policy" });
  await form.getByLabel("Rollback window (hours)").fill("0");
  await form.getByRole("button", { name: "Save policy" }).click();
  await expect(form.getByText("From 1 to 720 hours (30 days).")).toBeVisible();
  await form.getByLabel("Rollback window (hours)").fill("48");
  await form.getByLabel("Minimum recall").fill("0.8");
  await form.getByRole("button", { name: "Save policy" }).click();
  await expect(form.getByText("Saved.")).toBeVisible();
  await expect(form.getByLabel("Minimum recall")).toHaveValue("0.8");
  const policy = (await (await page.request.get(`/api/v1/collections/${collectionId}/reindex-policy`)).json()).data;
  expect(policy.policy).toMatchObject({ minRecall: 0.8, rollbackWindowHours: 48, minOverlap: 0.3, distinctApprover: true });
  expect(policy.defaulted).toEqual(["countTolerance", "minOverlap", "maxScoreDrift", "approvalTimeoutHours"]);
  const put = await page.request.put(`/api/v1/collections/${collectionId}/reindex-policy`, { data: {}, headers: { origin: baseURL! } });
  expect(put.status()).toBe(405);
  expect(put.headers()["allow"]).toBe("GET, PATCH, HEAD, OPTIONS");
});

test.describe("as a viewer", () => {
  test.use({ storageState: stateFile("viewer") });

  test("sees versions, history, golden queries and the policy, with nothing to change; the API refuses the changes", async ({ page, baseURL }) => {
    await licences(page);
    await page.goto(`/collections/${collectionId}/versions`);
    await expect(historyRows(page)).toHaveCount(1);
    await expect(page.getByRole("form", { name: "Add a golden query" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Try “/ }).first()).toBeEnabled();
    const policy = page.getByLabel("Reindex policy");
    await expect(policy).toContainText("Minimum recall");
    await expect(policy).toContainText("0.8 (80 %)");
    await expect(page.getByRole("form", { name: "Reindex policy" })).toHaveCount(0);
    await page.screenshot({ path: "test-results/versions-tab-viewer.png", fullPage: true });
    const headers = { origin: baseURL! };
    expect((await page.request.patch(`/api/v1/collections/${collectionId}/reindex-policy`, { data: { minRecall: 0.1 }, headers })).status()).toBe(403);
    expect((await page.request.post(`/api/v1/collections/${collectionId}/golden-queries`, { data: { query: "x", expected: ["adduser/copyright"] }, headers })).status()).toBe(403);
    expect((await page.request.post(`/api/v1/collections/${collectionId}/rollback`, { headers })).status()).toBe(403);
  });
});
