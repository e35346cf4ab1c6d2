import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_SOURCE_ROOT } from "../playwright.config";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("admin") });

test("the New collection form takes a Qdrant layout, refusing a bound on its field; the Settings tab shows it, and that it does not apply to LanceDB", async ({ page, baseURL }) => {
  await page.goto("/collections/new");
  const form = page.getByRole("form", { name: "Create collection" });
  await form.getByLabel("Collection name").fill("layout-shown");
  await form.getByLabel("Source name").fill("community");
  await form.getByLabel("Source folder path").fill(path.join(E2E_SOURCE_ROOT, "04-community"));
  await form.getByText("Qdrant layout (optional)").click();
  await expect(form.getByText("These apply only with Qdrant (VECTOR_STORE=qdrant).")).toBeVisible();
  await form.getByLabel("Keep vectors on disk").check();
  await form.getByLabel("HNSW m").fill("200");
  await form.getByLabel("Replication factor").fill("2");
  await form.getByRole("button", { name: "Create collection" }).click();
  await expect(form.getByText("At most 128.")).toBeVisible();
  await expect(form.getByLabel("HNSW m")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("HNSW m").fill("32");
  await form.getByRole("button", { name: "Create collection" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  const operationId = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByRole("link", { name: "Open the collection" }).click();
  await expect(page).toHaveURL(/\/collections\/[0-9a-f-]{36}$/);
  const collectionId = new URL(page.url()).pathname.split("/").pop()!;

  await page.goto(`/collections/${collectionId}/settings`);
  const layout = page.getByRole("definition");
  await expect(page.getByLabel("Vector store layout")).toBeVisible();
  await expect(layout.filter({ hasText: "on disk" })).toHaveCount(1);
  await expect(layout.filter({ hasText: /^32$/ })).toHaveCount(1);
  await expect(layout.filter({ hasText: "server default (100)" })).toHaveCount(1);
  await expect(layout.filter({ hasText: "server default (1 on one node, else one per node)" })).toHaveCount(1);
  await expect(page.getByRole("note")).toContainText("These settings apply only with Qdrant (VECTOR_STORE=qdrant). This collection is stored in LanceDB");
  await page.screenshot({ path: test.info().outputPath("settings-vector-layout.png"), fullPage: true });

  const refused = await page.request.post("/api/v1/collections", {
    data: { name: "layout-refused", source: { kind: "directory", name: "community", path: path.join(E2E_SOURCE_ROOT, "04-community") }, vectorLayout: { hnswEfConstruct: 2 } },
    headers: { origin: baseURL! },
  });
  expect(refused.status()).toBe(400);
  // Let the INDEX finish, so the console shuts down with nothing in flight.
  const status = async () => ((await (await page.request.get(`/api/v1/operations/${operationId}`)).json()).data as { operation?: { status: string }; status?: string });
  await expect.poll(async () => { const d = await status(); return d.operation?.status ?? d.status; }, { timeout: 60_000 }).toBe("succeeded");
});
