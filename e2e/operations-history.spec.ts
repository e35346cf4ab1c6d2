import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { e2eDatabase } from "./database";
import { OPERATOR, stateFile } from "./fixtures";

test.use({ storageState: stateFile("operator") });

/**
 * The job history: filter (through the form), page (keyset, Older / Newer), export, and a bulk
 * cancel of everything the filter matches behind a dialog that shows the server's count.
 * History of a day long past (a random one, so a rerun on the same data dir starts clean) is seeded
 * in the console's database, so no other spec's rows mix in.
 */
const day = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 6000) * 86_400_000).toISOString().slice(0, 10);
const range = `from=${day}T00:00&to=${day}T23:59`;

test("filters, pages and bulk-cancels the job history, confirming the count first", async ({ page }) => {
  test.setTimeout(90_000);
  const token = `hist-${randomUUID().slice(0, 8)}`;
  const sql = e2eDatabase();
  try {
    const [operator] = await sql<{ id: string }[]>`select id from users where email = ${OPERATOR.email}`;
    await sql`insert into operations (type, status, error, requested_by, correlation_id, created_at, started_at, finished_at)
      select 'SELF_TEST', 'failed', 'Self-test failed (' || ${token} || ' #' || g || ')', ${operator!.id}, ${token}, t, t, t + interval '3 seconds'
      from generate_series(1, 55) g, lateral (select ${`${day} 08:00:00+00`}::timestamptz + g * interval '1 minute' as t) x`;
    await sql`insert into operations (type, status, requested_by, correlation_id, created_at)
      select 'SELF_TEST', 'queued', ${operator!.id}, ${token}, ${`${day} 12:00:00+00`}::timestamptz + g * interval '1 second' from generate_series(1, 3) g`;
  } finally {
    await sql.end();
  }
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(`${m.text()} ${m.location().url}`));
  page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

  await page.goto(`/operations?${range}`);
  await expect(page.getByTestId("operations-total")).toHaveText("58 operations match this filter");
  await page.getByLabel("Search: id (its start) or error").fill(token);
  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${token}`));
  await expect(page.getByTestId("operations-total")).toHaveText("55 operations match this filter");
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(`${token} #55)`);
  await page.screenshot({ path: "test-results/operations-history-filtered.png", fullPage: true });
  await page.getByRole("link", { name: "Older" }).click();
  await expect(rows).toHaveCount(5);
  await expect(rows.last()).toContainText(`${token} #1)`);
  await expect(page.getByRole("link", { name: "Older" })).toHaveCount(0);
  await page.getByRole("link", { name: "Newer" }).click();
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(`${token} #55)`);

  // The export has the filtered set, whatever page the list is on.
  const csv = await (await page.request.get(`/api/v1/operations/export?${range}&q=${token}&status=failed`)).text();
  expect(csv.trimEnd().split("\r\n")).toHaveLength(56);

  // Bulk cancel of every operation under way that the filter matches: the dialog says how many first.
  await page.goto(`/operations?${range}&status=queued`);
  await expect(rows).toHaveCount(3);
  await page.getByRole("button", { name: "Cancel all matching…" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog.getByRole("heading")).toHaveText("Cancel 3 operations?");
  await expect(dialog.getByTestId("bulk-preview")).toContainText("3 operations under way matching the filter. 3 operations will be cancelled.");
  await page.screenshot({ path: "test-results/operations-history-bulk-cancel.png", fullPage: true });
  await dialog.getByRole("button", { name: "Keep them" }).click();
  await expect(dialog).toBeHidden();
  await expect(rows.filter({ hasText: "queued" })).toHaveCount(3);

  await page.getByRole("button", { name: "Cancel all matching…" }).click();
  await dialog.getByRole("button", { name: "Cancel 3 operations" }).click();
  await expect(page.getByTestId("bulk-result")).toHaveText("Cancelled 3 operations.");
  await expect(page.getByTestId("operations-total")).toHaveText("0 operations match this filter");
  await page.goto(`/operations?${range}&status=cancelled`);
  await expect(rows.filter({ hasText: "cancelled" })).toHaveCount(3);

  // One audit entry for the three, with the filter and the count.
  const audit = (await (await page.request.get(`/api/v1/audit?action=operation.bulk-cancel&actor=${OPERATOR.email}&limit=1`)).json()).data as { rows: { params: Record<string, unknown> }[] };
  expect(audit.rows[0]!.params).toMatchObject({ count: 3, matched: 3, filter: { status: "queued" } });
  expect(errors).toEqual([]);
});

test("a viewer sees the job history and its export, without the bulk actions", async ({ browser }) => {
  const context = await browser.newContext({ storageState: stateFile("viewer") });
  const page = await context.newPage();
  await page.goto(`/operations?${range}`);
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel all matching…" })).toHaveCount(0);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await context.close();
});
