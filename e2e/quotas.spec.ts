import { expect, test } from "@playwright/test";
import { E2E_SOURCE_ROOT } from "../playwright.config";
import { e2eDatabase } from "./database";
import { E2E_ADMIN, expectNoRawError, OPERATOR, stateFile } from "./fixtures";

test.describe.configure({ mode: "serial" });

const NO_LIMITS = { maxConcurrentOperations: null, maxPointsPerCollection: null, maxCollections: null };
const REFUSED = "quota-refused";

// The specs after this one start operators' work of their own: no limit is left behind.
test.afterAll(async ({ browser, baseURL }) => {
  const admin = await browser.newContext({ storageState: stateFile("admin") });
  const reset = await admin.request.put(`${baseURL}/api/v1/quotas`, { data: { quotas: ["viewer", "operator", "admin"].map((role) => ({ role, ...NO_LIMITS })) }, headers: { origin: baseURL! } });
  expect(reset.status()).toBe(200);
  await admin.close();
});

test("an admin sets the operators' points per collection under Settings → Quotas, an invalid value refused under its field", async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile("admin") });
  const page = await context.newPage();
  await page.goto("/settings");
  await page.getByRole("link", { name: /Quotas/ }).click();
  await expect(page.getByRole("heading", { name: "Quotas" })).toBeVisible();
  await expect(page.getByText("An empty field means no limit")).toBeVisible();

  const form = page.getByRole("form", { name: "Quotas for operator" });
  const points = form.getByLabel("Points per collection");
  await expect(points).toHaveValue("");
  await points.fill("lots");
  await form.getByRole("button", { name: "Save operator limits" }).click();
  await expect(form.getByText("Enter a whole number of 0 or more, or leave it empty for no limit (null in the API).")).toBeVisible();
  await expect(points).toHaveValue("lots");
  await expect(points).toHaveAttribute("aria-invalid", "true");

  await points.fill("1,000");
  await form.getByRole("button", { name: "Save operator limits" }).click();
  await expect(form.getByText("Saved: operations under way no limit, points per collection 1,000, collections no limit.")).toBeVisible();
  await expect(points).toHaveValue("1,000");
  await expect(form.getByText("Enter a whole number")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("form", { name: "Quotas for operator" }).getByLabel("Points per collection")).toHaveValue("1,000");
  await expect(page.getByText(`by ${E2E_ADMIN.email}`)).toBeVisible();
  await expect(page.getByRole("form", { name: "Quotas for viewer" })).toHaveCount(0); // a viewer starts nothing to limit
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.screenshot({ path: "test-results/quotas-page.png" });
  await expectNoRawError(page);
  await context.close();
});

test.describe("as an operator", () => {
  test.use({ storageState: stateFile("operator") });

  test("sees the limits but no form, and the server refuses a change", async ({ page, baseURL }) => {
    await page.goto("/settings/quotas");
    await expect(page.getByRole("row", { name: /operator/ })).toContainText("1,000");
    await expect(page.getByRole("form", { name: /Quotas for/ })).toHaveCount(0);
    const change = await page.request.put("/api/v1/quotas", { data: { quotas: [{ role: "operator", ...NO_LIMITS }] }, headers: { origin: baseURL! } });
    expect(change.status()).toBe(403);
  });

  test("a new collection over the points limit is refused in the form, saying by how much, and nothing is created", async ({ page }) => {
    await page.goto("/collections/new");
    const form = page.getByRole("form", { name: "Create collection" });
    await form.getByLabel("Collection name").fill(REFUSED);
    await form.getByLabel("Source name").fill("next-docs");
    await form.getByLabel("Source folder path").fill(E2E_SOURCE_ROOT);
    await form.getByRole("button", { name: "Create collection" }).click();
    // The folder is sized in a worker thread, which the console's first start may have to start.
    await expect(form.getByRole("alert")).toHaveText(
      new RegExp(`^Your role \\(operator\\) may have at most 1,000 points in a collection; the new collection “${REFUSED}” would hold about [\\d,]+ points, [\\d,]+ over the limit\\. Index fewer files or choose a larger chunk size, or ask an admin to raise the limit\\.$`),
      { timeout: 30_000 },
    );
    await expect(page).toHaveURL(/\/collections\/new$/);
    await expect(form.getByLabel("Collection name")).toHaveValue(REFUSED);
    await form.screenshot({ path: "test-results/quota-refusal-form.png" });
    await expectNoRawError(page);

    const sql = e2eDatabase();
    try {
      const [made] = await sql<{ collections: number; operations: number }[]>`select
        (select count(*)::int from collections where name = ${REFUSED}) as collections,
        (select count(*)::int from operations where params->>'collection' = ${REFUSED}) as operations`;
      expect(made).toEqual({ collections: 0, operations: 0 });
      const audit = await sql<{ outcome: string; error: string }[]>`select outcome, error from audit_log where action = 'collection.create' and actor_email = ${OPERATOR.email} order by id desc limit 1`;
      expect(audit[0]).toMatchObject({ outcome: "failure", error: expect.stringContaining("may have at most 1,000 points in a collection") });
    } finally {
      await sql.end();
    }
  });
});
