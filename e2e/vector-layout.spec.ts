import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_SOURCE_ROOT } from "../playwright.config";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("admin") });

test("the Settings tab shows the Qdrant layout a collection was created with, and that it does not apply to LanceDB", async ({ page, baseURL }) => {
  const vectorLayout = { vectorsOnDisk: true, hnswM: 32, replicationFactor: 2 };
  const created = await page.request.post("/api/v1/collections", {
    data: { name: "layout-shown", source: { kind: "directory", name: "community", path: path.join(E2E_SOURCE_ROOT, "04-community") }, vectorLayout },
    headers: { origin: baseURL! },
  });
  expect(created.status()).toBe(201);
  const { collectionId, operationId } = (await created.json()).data as { collectionId: string; operationId: string };

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
