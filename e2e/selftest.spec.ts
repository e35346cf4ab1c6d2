import { expect, test } from "@playwright/test";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("operator") });

test("the self-test runs from the Health page; its checkpoints appear live; its run has a timeline; a second one is cancelled", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/health");
  await page.getByRole("button", { name: "Run self-test" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "SELF_TEST operation" })).toBeVisible();

  // Live: the page is not reloaded; the checkpoints arrive one after the other.
  const checkpoints = page.getByRole("table");
  await expect(checkpoints.getByText("record-start")).toBeVisible();
  await expect(page.getByTestId("operation-status")).toHaveText(/running|queued/);
  await expect(checkpoints.getByText("flaky-check")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 20_000 });
  await expect(checkpoints.getByRole("row", { name: /flaky-check/ })).toContainText("2");
  await expect(page.getByText("5 / 5 checkpoints")).toBeVisible();

  await page.getByRole("link", { name: "Runs of this operation" }).click();
  await expect(page.getByRole("row")).toHaveCount(2);
  await page.getByRole("link", { name: "stevedore-run-self-test" }).click();
  await expect(page.getByTestId("run-status")).toHaveText("completed");
  const timeline = page.getByRole("list", { name: "Step timeline" });
  for (const step of ["record-start", "echo-event", "pause", "flaky-check", "record-finish"]) await expect(timeline.getByText(step, { exact: true })).toBeVisible();
  // The step that failed once shows its retry on the timeline.
  await expect(timeline.getByRole("listitem").filter({ hasText: "flaky-check" })).toContainText("completed · 2 attempts");
  // What the run used of Inngest's limits, as the executor recorded it.
  await expect(page.getByTestId("run-usage")).toContainText(/\d+ steps · state .+ · largest step result .+ · event/);
  // Plain `npm start`: the local executor runs the functions, and the Runs page says nothing else.
  await page.goto("/runs");
  await expect(page.getByText("An external Inngest server runs the functions")).toHaveCount(0);

  await page.goto("/health");
  await page.getByRole("button", { name: "Run self-test" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Cancel operation" }).click();
  await expect(page.getByTestId("operation-status")).toHaveText("cancelled");
  await page.getByRole("link", { name: "Runs of this operation" }).click();
  // The self-test's own run (the clean-up run, "clean-up-cancelled-operation", may be listed beside it).
  await expect(page.getByRole("row").filter({ hasText: "self-test" }).filter({ hasText: "cancelled" })).toHaveCount(1, { timeout: 10_000 });

  await page.goto("/operations");
  await page.getByLabel("Status").selectOption("cancelled");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=cancelled/);
  await expect(page.getByRole("row").filter({ hasText: "SELF_TEST" }).filter({ hasText: "cancelled" }).first()).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "succeeded" })).toHaveCount(0);
});

test("a viewer sees the self-test but cannot start it", async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile("viewer") });
  const page = await context.newPage();
  await page.goto("/health");
  await expect(page.getByText("Operators and admins can run it.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Run self-test" })).toHaveCount(0);
  await context.close();
});
