import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_COPIES_ROOT } from "../playwright.config";
import { expectNoRawError, stateFile } from "./fixtures";
import { copyCopyrights } from "./machine-files";

test.use({ storageState: stateFile("admin") });
test.describe.configure({ mode: "serial" });

const NAME = "bk-page";
const COPY = "bk-page-copy";
const SOURCE = path.join(E2E_COPIES_ROOT, "bk-page");

async function finished(request: APIRequestContext, operationId: string) {
  let operation: { status: string; error: string | null } = { status: "queued", error: null };
  await expect
    .poll(async () => (operation = (await (await request.get(`/api/v1/operations/${operationId}`)).json()).data.operation).status, { timeout: 180_000, intervals: [1000] })
    .toMatch(/^(succeeded|failed|cancelled)$/);
  return operation;
}

let backupId = "";

test("a backup taken from the API is on the Backups page, verified from it, restored into a new name after a check, and deleted by an admin", async ({ page, baseURL }) => {
  test.setTimeout(420_000);
  const headers = { origin: baseURL! };
  copyCopyrights(SOURCE, 10);
  const created = await page.request.post("/api/v1/collections", { data: { name: NAME, source: { kind: "directory", name: "copyrights", path: SOURCE } }, headers });
  expect(created.status()).toBe(201);
  const { collectionId, operationId } = (await created.json()).data;
  expect((await finished(page.request, operationId)).status).toBe("succeeded");
  const started = await page.request.post(`/api/v1/collections/${collectionId}/backups`, { data: { note: "from the e2e" }, headers });
  expect(started.status()).toBe(202);
  ({ backupId } = (await started.json()).data);
  expect((await finished(page.request, (await started.json()).data.operationId)).status).toBe("succeeded");

  await page.goto("/backups");
  const row = page.getByTestId(`backup-${backupId}`);
  await expect(row).toContainText(NAME);
  await expect(row).toContainText("from the e2e");
  await expect(row).toContainText("complete");
  await expect(row).toContainText("never");
  // Never verified yet: flagged at the top and on the collection's schedule row.
  await expect(page.getByTestId("backup-flags")).toContainText(NAME);
  await expect(page.getByTestId(`schedule-${NAME}`)).toContainText("unverified");

  await row.getByRole("button", { name: "Verify" }).click();
  const link = row.getByRole("link", { name: "verify operation" });
  await expect(link).toBeVisible();
  const verifyOp = (await link.getAttribute("href"))!.split("/").pop()!;
  expect((await finished(page.request, verifyOp)).status).toBe("succeeded");
  await page.reload();
  await expect(page.getByTestId(`backup-${backupId}`)).toContainText("verified");
  await expect(page.getByTestId(`schedule-${NAME}`)).toContainText("ok");
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: "test-results/backups-page-light.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "test-results/backups-page-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });

  // Restore: the check refuses a taken name on its field, then reports; Restore starts it.
  await page.getByTestId(`backup-${backupId}`).getByRole("button", { name: "Restore" }).click();
  const sheet = page.getByRole("dialog", { name: `Restore backup of ${NAME}` });
  await sheet.getByLabel("New collection name").fill(NAME);
  await sheet.getByRole("button", { name: "Check" }).click();
  await expect(sheet.getByText(/already exists/).first()).toBeVisible();
  await sheet.getByLabel("New collection name").fill(COPY);
  await sheet.getByRole("button", { name: "Check" }).click();
  const report = sheet.getByTestId("restore-report");
  await expect(report).toContainText("Nothing stands in the way.");
  await expect(report).toContainText("embedding model");
  await page.screenshot({ path: "test-results/backups-restore-check.png", fullPage: true });
  await sheet.getByRole("button", { name: "Restore", exact: true }).click();
  await page.waitForURL(/\/operations\/[0-9a-f-]{36}$/);
  const restoreOp = page.url().split("/").pop()!;
  expect((await finished(page.request, restoreOp)).status).toBe("succeeded");
  const collections = (await (await page.request.get("/api/v1/collections")).json()).data as Array<{ collection: { name: string }; stats: { points: number } }>;
  const original = collections.find((c) => c.collection.name === NAME)!;
  expect(collections.find((c) => c.collection.name === COPY)?.stats.points).toBe(original.stats.points);

  // Delete (admin), after a confirmation.
  await page.goto("/backups");
  await page.getByTestId(`backup-${backupId}`).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete backup" }).click();
  await expect(page.getByTestId(`backup-${backupId}`)).toHaveCount(0);
  expect((await page.request.get(`/api/v1/backups/${backupId}`)).status()).toBe(404);
  await expectNoRawError(page);
});

test.describe("as an operator", () => {
  test.use({ storageState: stateFile("operator") });
  test("an import of a file that is not a backup is refused on the file field, and there is no Delete", async ({ page }) => {
    await page.goto("/backups");
    await page.getByLabel("Backup file (.jsonl.gz)").setInputFiles({ name: "not-a-backup.jsonl.gz", mimeType: "application/gzip", buffer: Buffer.from("plain text, not gzip") });
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.locator("#import-file-error")).toContainText(/gzip|backup/i);
    await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await expectNoRawError(page);
  });
});
