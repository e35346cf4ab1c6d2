import { expect, test, type Page } from "@playwright/test";
import { expectNoRawError, stateFile } from "./fixtures";

test.describe.configure({ mode: "serial" });

async function shoot(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `test-results/silences-${name}-${scheme}.png`, fullPage: true });
  }
}

test("an operator silences a collection's alerts, sees the end relative, and expires it after confirming; plans a maintenance window and ends it; a viewer only reads", async ({ browser }) => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const operator = await (await browser.newContext({ storageState: stateFile("operator") })).newPage();

  await operator.goto("/alerts/silences");
  await expect(operator.getByRole("heading", { name: "Silences", exact: true })).toBeVisible();
  const form = operator.getByRole("form", { name: "New silence" });
  // A regex RE2 cannot run is refused on its field, in words.
  await form.getByLabel(/^Matchers/).fill("collection=~(a)\\1");
  await form.getByLabel("Why").fill(`e2e ${suffix}`);
  await form.getByRole("button", { name: "Add silence" }).click();
  await expect(form.getByText(/Not a valid regular expression/)).toBeVisible();

  // What was typed stays after a refusal: only the bad line is mended.
  await expect(form.getByLabel("Why")).toHaveValue(`e2e ${suffix}`);
  await form.getByLabel(/^Matchers/).fill(`collection=e2e-${suffix}\nalertname=~.*`);
  await form.getByLabel(/^Lasts/).selectOption("8");
  await form.getByRole("button", { name: "Add silence" }).click();
  await expect(form.getByRole("status")).toContainText("Silence added (active).");
  await operator.reload();
  const row = operator.getByRole("row").filter({ hasText: `e2e ${suffix}` });
  await expect(row).toContainText(/in 7 h 5\d min|in 8 h/);
  await expect(row).toContainText("active");
  await shoot(operator, "list");

  // Expiring asks first; Cancel changes nothing.
  await row.getByRole("button", { name: "Expire" }).click();
  const dialog = operator.getByRole("alertdialog", { name: `Expire the silence “e2e ${suffix}”?` });
  await expect(dialog).toBeVisible();
  await shoot(operator, "confirm");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toContainText("active");
  await row.getByRole("button", { name: "Expire" }).click();
  await dialog.getByRole("button", { name: "Expire" }).click();
  // The page re-renders at once: the row says expired and offers no Expire any more.
  await expect(row).toContainText("expired");
  await expect(row.getByRole("button", { name: "Expire" })).toHaveCount(0);
  await operator.reload();
  await expect(operator.getByRole("row").filter({ hasText: `e2e ${suffix}` })).toContainText("expired");
  await expectNoRawError(operator);

  await operator.getByRole("navigation", { name: "Alerting" }).getByRole("link", { name: "Maintenance windows" }).click();
  await expect(operator).toHaveURL(/\/alerts\/maintenance$/);
  const plan = operator.getByRole("form", { name: "Plan a window" });
  await plan.getByLabel("Name").fill(`e2e window ${suffix}`);
  await plan.getByLabel(/^Lasts/).selectOption("2");
  await plan.getByRole("button", { name: "Plan window" }).click();
  await expect(plan.getByRole("status")).toContainText(`Window "e2e window ${suffix}" planned.`);
  await operator.reload();
  const wrow = operator.getByRole("row").filter({ hasText: `e2e window ${suffix}` });
  await expect(wrow).toContainText("all collections");
  await expect(wrow).toContainText(/in 1 h 5\d min|in 2 h/);
  await shoot(operator, "windows");
  await wrow.getByRole("button", { name: "End now" }).click();
  await operator.getByRole("alertdialog", { name: `End the window “e2e window ${suffix}” now?` }).getByRole("button", { name: "End now" }).click();
  await expect(wrow).toContainText("ended");
  await operator.reload();
  await expect(operator.getByRole("row").filter({ hasText: `e2e window ${suffix}` })).toContainText("ended");
  await expectNoRawError(operator);

  const viewer = await (await browser.newContext({ storageState: stateFile("viewer") })).newPage();
  await viewer.goto("/alerts/silences");
  await expect(viewer.getByRole("heading", { name: "Currently suppressed", exact: false })).toBeVisible();
  await expect(viewer.getByRole("form", { name: "New silence" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "Expire" })).toHaveCount(0);
});
