import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { E2E_SOURCE_ROOT } from "../playwright.config";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("admin") });

const SHOTS = "test-results/operation-logs";

async function shoot(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme === "dark" ? "\\bdark\\b" : "^(?!.*\\bdark\\b)"));
    await page.getByRole("log", { name: "Operation log" }).screenshot({ path: `${SHOTS}/${name}-${scheme}.png` });
    await page.screenshot({ path: `${SHOTS}/${name}-page-${scheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("the log of a real INDEX grows while it runs, filters by level, searches, and downloads", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const errors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
  const created = await page.request.post("/api/v1/collections", {
    data: { name: `logs-${Date.now().toString(36)}`, source: { kind: "directory", name: "next-docs", path: E2E_SOURCE_ROOT } },
    headers: { origin: baseURL! },
  });
  expect(created.status()).toBe(201);
  const { operationId } = (await created.json()).data as { operationId: string };

  await page.goto(`/operations/${operationId}`);
  const log = page.getByRole("log", { name: "Operation log" });
  const lines = log.getByTestId("log-line");
  // While it runs the tail is live and the log grows without a reload.
  await expect(page.getByTestId("log-live")).toHaveText("● live", { timeout: 60_000 });
  // Counted as soon as the tail is live, not after the first line: an INDEX of these docs can log
  // all it will (6 lines) within a second, and the page must still show them without a reload.
  const early = await lines.count();
  await expect(lines.first()).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("operation-status")).toHaveText(/succeeded/i, { timeout: 240_000 });
  await expect(lines.filter({ hasText: /Finished( with failures)?: [\d,]+ indexed/ })).toHaveCount(1, { timeout: 10_000 });
  expect(await lines.count()).toBeGreaterThan(early);
  await expect(page.getByTestId("log-live")).toHaveCount(0);
  const all = await lines.count();

  // Fields open on demand.
  const lineId = await lines.filter({ hasText: "Embed batch" }).first().getAttribute("data-id");
  const withFields = log.locator(`[data-id="${lineId}"]`);
  await withFields.getByRole("button", { name: /^fields/ }).click();
  await expect(withFields.getByRole("button", { name: "hide fields" })).toHaveAttribute("aria-expanded", "true");
  await expect(withFields.locator("pre")).toContainText('"stage"');
  await shoot(page, "all-levels");

  // Level: only lines at or above it (these docs hold a few empty files: their batches warn).
  await page.getByLabel("Level").selectOption("warn");
  await expect.poll(async () => lines.count()).toBeLessThan(all);
  await expect(lines.first()).toBeVisible();
  for (const level of await lines.evaluateAll((els) => els.map((e) => e.getAttribute("data-level")))) expect(["warn", "error"]).toContain(level);
  await page.getByLabel("Level").selectOption("debug");
  await expect(lines).toHaveCount(all);

  // Search (debounced): the finish line alone, and a wildcard taken literally matches nothing.
  await page.getByLabel("Search the log").fill("finished");
  await expect.poll(async () => lines.count()).toBeLessThan(all);
  await expect(lines.last()).toContainText("Finished");
  await shoot(page, "search");
  await page.getByLabel("Search the log").fill("%_%");
  await expect(log).toContainText("No line matches this filter.");
  await page.getByLabel("Search the log").fill("batch");
  await expect.poll(async () => lines.count()).toBeGreaterThan(0);

  // Download: the filtered log as NDJSON.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  const file = await (await download).path();
  const exported = fs.readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { message: string });
  expect(exported.length).toBe(await lines.count());
  expect(exported.every((l) => /batch/i.test(l.message))).toBe(true);

  // The console has a favicon now: no 404 on a first visit.
  expect((await page.request.get("/favicon.ico")).status()).toBe(200);
  expect(errors).toEqual([]);
});
