import { expect, test, type Download, type Page } from "@playwright/test";
import { e2eDatabase } from "./database";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("admin") });
test.describe.configure({ mode: "serial" });

const NAME = "harbour";
const NOTES = 55;
const tabs = (page: Page) => page.getByRole("navigation", { name: "Collection sections" });
const tab = (page: Page, name: string) => tabs(page).getByRole("link", { name: new RegExp(`^${name}`) });
const csvOf = async (download: Promise<Download>) => new Response((await (await download).createReadStream()) as unknown as ReadableStream).text();
let collectionId = "";

/** The collection's id from the API, so each test can also run on its own after the first made it. */
const WITH_FAILURES = /^succeeded with failures \(\d+ % dead\)$/;

async function harbour(page: Page): Promise<string> {
  const rows = (await (await page.request.get("/api/v1/collections")).json()).data as Array<{ collection: { id: string; name: string } }>;
  return (collectionId ||= rows.find((r) => r.collection.name === NAME)!.collection.id);
}

test("a collection from uploads with files no retry can fix: 57 indexed, 3 dead", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/collections/new");
  const form = page.getByRole("form", { name: "Create collection" });
  await form.getByLabel("Files from this computer").check();
  await form.getByLabel("Collection name").fill(NAME);
  await form.getByLabel("Files", { exact: true }).setInputFiles([
    ...Array.from({ length: NOTES }, (_, i) => ({ name: `note-${String(i).padStart(2, "0")}.md`, mimeType: "text/markdown", buffer: Buffer.from(`# Note ${i}\n\nMooring log entry ${i}: line handlers stood by at quay ${i}.`) })),
    { name: "berths.md", mimeType: "text/markdown", buffer: Buffer.from("# Berths\n\nThe vessel Marigold docks at berth nine every second Tuesday.") },
    { name: "=SUM(A1).md", mimeType: "text/markdown", buffer: Buffer.from("# Formula\n\nA file whose name a spreadsheet would run.") },
    { name: "diagram.png", mimeType: "application/octet-stream", buffer: Buffer.from("no parser reads this format") },
    { name: "empty.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) },
    { name: "blob.txt", mimeType: "text/plain", buffer: Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31) % 256)) },
  ]);
  await form.getByRole("button", { name: "Create collection" }).click();
  // Three files no parser reads: a success that left dead letters, and says so.
  await expect(page.getByTestId("operation-status")).toHaveText(WITH_FAILURES, { timeout: 120_000 });
  await page.getByRole("link", { name: "Open the collection" }).click();
  await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  collectionId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(tab(page, "Dead letters")).toHaveText(/3$/);
});

test("the collection page is tabs: the overview loads no documents table, tabs open with the keyboard and mark the current one", async ({ page }) => {
  await harbour(page);
  await page.goto(`/collections/${collectionId}`);
  await expect(tab(page, "Overview")).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("list", { name: "Documents by stage" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Documents" })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Filter documents" })).toHaveCount(0);

  await tab(page, "Documents").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/collections/${collectionId}/documents$`));
  await expect(tab(page, "Documents")).toHaveAttribute("aria-current", "page");
  await expect(tab(page, "Overview")).not.toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("table", { name: "Documents" })).toBeVisible();
  // The tabs are in the tab order, one after another.
  await tab(page, "Overview").focus();
  await page.keyboard.press("Tab");
  await expect(tab(page, "Sources")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/collections/${collectionId}/sources$`));
  await expect(page.getByRole("table", { name: "Sources" })).toBeVisible();
});

test("documents page forward and back with a total; the filter stays on every page and in the CSV", async ({ page }) => {
  await harbour(page);
  await page.goto(`/collections/${collectionId}/documents`);
  const pages = page.getByRole("navigation", { name: "Document pages" });
  const paths = () => page.getByRole("table", { name: "Documents" }).locator("tbody tr td:first-child .font-mono").allInnerTexts();
  await expect(pages.getByTestId("list-total")).toHaveText("50 shown of 60 documents");
  await expect(pages.getByRole("link", { name: "Previous page" })).toHaveCount(0);
  const first = await paths();
  await pages.getByRole("link", { name: "Next page" }).click();
  await expect(pages.getByTestId("list-total")).toHaveText("10 shown of 60 documents");
  await expect(pages.getByRole("link", { name: "Next page" })).toHaveCount(0);
  expect((await paths()).some((p) => first.includes(p))).toBe(false);
  await pages.getByRole("link", { name: "Previous page" }).click();
  await expect(pages.getByTestId("list-total")).toHaveText("50 shown of 60 documents");
  expect(await paths()).toEqual(first);

  const filter = page.getByRole("form", { name: "Filter documents" });
  await filter.getByLabel("Filter by stage").selectOption("complete");
  await filter.getByRole("button", { name: "Apply filters" }).click();
  await expect(pages.getByTestId("list-total")).toHaveText("50 shown of 57 documents");
  await pages.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/stage=complete.*after=/);
  await expect(pages.getByTestId("list-total")).toHaveText("7 shown of 57 documents");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await csvOf(download);
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toMatch(/^id,path,source,stage,/);
  expect(lines).toHaveLength(58);
  expect(csv).toContain(",'=SUM(A1).md,uploads,complete,");
  expect(csv).not.toContain("diagram.png");
});

test("dead letters: broken down by reason and extension, no retry where it cannot help, and retry all matching asks with the count", async ({ page }) => {
  test.setTimeout(120_000);
  await harbour(page);
  await page.goto(`/collections/${collectionId}/dead-letters`);
  const byReason = page.getByRole("table", { name: "Dead letters by reason" });
  for (const reason of ["Unsupported format, or not text", "Empty file", "Binary content in a text file"]) {
    await expect(byReason.getByRole("row").filter({ hasText: reason })).toContainText(/1\s*no/);
  }
  const byExtension = page.getByRole("table", { name: "Dead letters by file extension" });
  await expect(byExtension.getByRole("row").filter({ hasText: ".txt" })).toContainText("2");
  await expect(byExtension.getByRole("row").filter({ hasText: ".png" })).toContainText("1");
  await expect(page.getByRole("button", { name: "Retry all matching…" })).toBeDisabled();
  await expect(page.getByRole("checkbox", { name: "diagram.png: a retry cannot help" })).toBeDisabled();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await csvOf(download);
  expect(csv.trim().split("\r\n")).toHaveLength(4);
  expect(csv).toMatch(/diagram\.png,uploads,dead,.*,parse_unsupported,.*,no,/);

  await byReason.getByRole("link", { name: "Unsupported format, or not text" }).click();
  await expect(page).toHaveURL(/errorClass=parse_unsupported/);
  await expect(page.getByText("A retry cannot change “Unsupported format, or not text”")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Retry/ })).toHaveCount(0);

  // Two documents that failed every attempt of a transient failure, as the pipeline's requeue leaves them.
  const sql = e2eDatabase();
  await sql`update documents set stage = 'dead', error_stage = 'embedding', error_class = 'retries_exhausted', error_message = 'Gave up after 5 failed attempts.'
    where collection_id = ${collectionId} and path in ('note-00.md', 'note-01.md')`;
  await sql.end();
  await page.goto(`/collections/${collectionId}/dead-letters`);
  await expect(byReason.getByRole("row").filter({ hasText: "Failed every attempt" })).toContainText(/2\s*yes/);
  await page.getByRole("button", { name: "Retry all matching…" }).click();
  const confirm = page.getByRole("dialog", { name: "Retry 2 dead documents?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await page.getByRole("button", { name: "Retry all matching…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Retry 2 dead documents" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 60_000 });
  await page.goto(`/collections/${collectionId}/dead-letters`);
  await expect(tab(page, "Dead letters")).toHaveText(/3$/);
});

test("a search result links to its document", async ({ page }) => {
  await harbour(page);
  await page.goto(`/collections/${collectionId}/search`);
  const search = page.getByRole("form", { name: "Search this collection" });
  await search.getByRole("searchbox", { name: "Query" }).fill("Marigold docks at berth nine");
  await search.getByRole("button", { name: "Search", exact: true }).click();
  await page.getByRole("list", { name: "Search results" }).getByRole("listitem").first().getByRole("link", { name: "berths.md" }).click();
  await expect(page).toHaveURL(new RegExp(`/collections/${collectionId}/documents/[0-9a-f-]{36}$`));
  await expect(page.getByTestId("document-path")).toHaveText("berths.md");
  await expect(page.getByText(/^Now complete since/)).toBeVisible();
  await expect(tab(page, "Documents")).toHaveAttribute("aria-current", "page");
});
