import { expect, test, type Page } from "@playwright/test";
import { seedDashboardHistory, type SeededHistory } from "../db/test/dashboard-history";
import { e2eDatabase } from "./database";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("viewer") });

const SHOTS = "test-results/dashboard";

let seeded: SeededHistory;
let sql: ReturnType<typeof e2eDatabase>;

test.beforeAll(async () => {
  sql = e2eDatabase();
  seeded = await seedDashboardHistory(sql);
});
test.afterAll(async () => {
  await seeded?.remove();
  await sql?.end({ timeout: 5 });
});

/** Console errors and uncaught exceptions of the page, collected while a test runs. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return errors;
}

async function shoot(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme === "dark" ? "\\bdark\\b" : "^(?!.*\\bdark\\b)"));
    await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("the overview draws seven seeded days, and a click on a failed bar opens those operations", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/?range=7d");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("link", { name: "7d", exact: true })).toHaveAttribute("aria-current", "page");
  for (const chart of ["chart-operations-by-status", "chart-durations", "chart-error-rate", "chart-throughput", "chart-collection-sizes"]) {
    await expect(page.getByTestId(chart).locator("svg path").first()).toBeAttached();
  }
  // One line per collection sampled: the three seeded ones, and any the console's own sampler saw.
  await expect.poll(() => page.getByTestId("chart-collection-sizes").locator("path.recharts-line-curve").count()).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId("running-operations")).toContainText("APPEND");
  await expect(page.getByTestId("dead-letters")).toContainText(seeded.collections[1]!.name);
  await expect(page.getByTestId("backup-ages").getByText("never backed up").first()).toBeVisible();
  await shoot(page, "overview-7d");

  await page.getByRole("link", { name: "24h", exact: true }).click();
  await expect(page).toHaveURL(/\?range=24h$/);
  const failedBars = page.getByTestId("chart-operations-by-status").locator('path[fill="var(--destructive)"]');
  await expect(failedBars.first()).toBeAttached();
  await failedBars.last().click({ force: true });
  await expect(page).toHaveURL(/\/operations\?status=failed&from=[^&]+&to=[^&]+$/);
  const url = new URL(page.url());
  const from = Date.parse(url.searchParams.get("from")!);
  const to = Date.parse(url.searchParams.get("to")!);
  expect(to - from).toBe(3_600_000);
  // The newest failed bar: the seeded failure's hour, or a later one in which the specs before this
  // one (same console) failed something. Either way the hour it opens holds failed operations only.
  const listed = (await (await page.request.get(`/api/v1/operations?status=failed&from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`)).json()).data;
  expect(listed.rows.length).toBeGreaterThan(0);
  for (const row of listed.rows as Array<{ operation: { status: string; createdAt: string } }>) {
    expect(row.operation.status).toBe("failed");
    expect(Date.parse(row.operation.createdAt)).toBeGreaterThanOrEqual(from);
    expect(Date.parse(row.operation.createdAt)).toBeLessThan(to);
  }
  if (to <= seeded.failedIndex.createdAt.getTime() + 3_600_000) expect(from).toBeLessThanOrEqual(seeded.failedIndex.createdAt.getTime());
  await expect(page.getByRole("heading", { name: "Operations" })).toBeVisible();
  // "failed", or its outcome ("rejected", "not approved in time"): the row says which status it is.
  await expect(page.locator("tbody tr").first()).toHaveAttribute("data-status", "failed");
  expect(errors).toEqual([]);
});

test("the Health page shows the current state and the seeded dip in its 7 d history", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/health?range=7d");
  await expect(page.getByRole("heading", { name: "Health", exact: true })).toBeVisible();
  await expect(page.getByText(/Overall:/)).toBeVisible();
  const vectorStore = page.getByRole("list", { name: "vector store (lancedb) status history" });
  await expect(vectorStore.locator('[data-level="degraded"]').first()).toBeAttached();
  await expect(vectorStore.locator('[data-level="healthy"]').first()).toBeAttached();
  for (const chart of ["chart-memory", "chart-disk"]) await expect(page.getByTestId(chart).locator("svg path.recharts-line-curve").first()).toBeAttached();
  await shoot(page, "health-7d");
  expect(errors).toEqual([]);
});
