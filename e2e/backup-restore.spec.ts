import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_COPIES_ROOT } from "../playwright.config";
import { stateFile } from "./fixtures";
import { copyCopyrights, proseLines } from "./machine-files";
import { searchLoop } from "./search-loop";

test.describe.configure({ mode: "serial" });

const NAME = "debian-copyrights";
const SOURCE = path.join(E2E_COPIES_ROOT, NAME);
const SHOTS = "test-results/backups";
let collectionId = "";
let queries: string[] = [];
let before: Awaited<ReturnType<typeof snapshot>>;
let firstBackupId = "";

type Hit = { path: string; ordinal: number; score: number };

async function apiAs(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, baseURL: string | undefined, role: "admin" | "operator") {
  return playwright.request.newContext({ baseURL, storageState: stateFile(role), extraHTTPHeaders: { origin: baseURL! } });
}

async function finished(api: APIRequestContext, operationId: string, timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { data } = await (await api.get(`/api/v1/operations/${operationId}`)).json();
    if (["succeeded", "failed", "cancelled"].includes(data.operation.status)) return data.operation as { status: string; error: string | null; result: Record<string, unknown> };
    if (Date.now() > until) throw new Error(`operation ${operationId} still ${data.operation.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * What an operator would compare before and after: the counts, and each query's top 10 as scores
 * plus the hits above the tenth score (hits tied with the tenth may come in any order).
 */
async function snapshot(api: APIRequestContext, id: string) {
  const { data } = await (await api.get(`/api/v1/collections/${id}`)).json();
  const tops = [];
  for (const query of queries) {
    const res = await api.post(`/api/v1/collections/${id}/search`, { data: { query, limit: 10 } });
    const hits = ((await res.json()).data.hits as Hit[]).map((h) => ({ key: `${h.path}#${h.ordinal}`, score: h.score.toFixed(5) }));
    const cut = hits.at(-1)?.score;
    tops.push({ scores: hits.map((h) => h.score), above: hits.filter((h) => h.score !== cut).map((h) => h.key).sort() });
  }
  return { documents: data.stats.documents as number, points: data.stats.points as number, tops };
}

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test("a collection of 40 copyright files of this machine's packages is indexed", async ({ playwright, baseURL }) => {
  test.setTimeout(180_000);
  const files = copyCopyrights(SOURCE, 40);
  queries = proseLines(SOURCE, files).slice(0, 10).map((p) => p.text);
  expect(queries).toHaveLength(10);
  const api = await apiAs(playwright, baseURL, "operator");
  const res = await api.post("/api/v1/collections", { data: { name: NAME, source: { kind: "directory", name: "copyrights", path: SOURCE } } });
  expect(res.status(), await res.text()).toBe(201);
  const { data } = await res.json();
  collectionId = data.collectionId;
  expect((await finished(api, data.operationId)).status).toBe("succeeded");
  before = await snapshot(api, collectionId);
  expect(before.documents).toBe(40);
  expect(before.tops.every((t) => t.scores.length === 10)).toBe(true);
  await api.dispose();
});

test("an operator backs up from the collection's Backups tab, with an estimate first", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await (await browser.newContext({ storageState: stateFile("operator") })).newPage();
  await page.goto(`/collections/${collectionId}/backups`);
  await page.getByLabel("Note").fill("before the clear");
  await page.getByRole("button", { name: "Estimate" }).click();
  await expect(page.getByLabel("Backup estimate")).toContainText(/About \d[\d,]* points, [\d.]+ (KiB|MiB|GiB|bytes) compressed, taking [\d.]+ (ms|s)/);
  await shot(page, "backup-form-estimate");
  await page.getByRole("button", { name: "Back up" }).click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 90_000 });
  await shot(page, "backup-operation");
  await page.goto(`/collections/${collectionId}/backups`);
  const table = page.getByRole("table", { name: "Backups of this collection" });
  await expect(table.getByRole("row").filter({ hasText: "before the clear" })).toContainText("complete");
  await shot(page, "backup-listed");
  await page.context().close();
});

test("an admin clears it (typed name, back up first), then a replace-restore brings back the same counts and answers", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(240_000);
  const page = await (await browser.newContext({ storageState: stateFile("admin") })).newPage();
  await page.goto(`/collections/${collectionId}/backups`);
  await page.getByRole("button", { name: "Count what it removes" }).click();
  await expect(page.getByLabel("What the clear removes")).toContainText(`${before.points.toLocaleString("en-US")} points and 40 documents`);
  const clear = page.getByRole("button", { name: "Clear collection" });
  await expect(clear).toBeDisabled();
  await page.getByLabel(`Type ${NAME} to confirm`).fill(NAME);
  await shot(page, "clear-form");
  await clear.click();
  await expect(page).toHaveURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 120_000 });
  await shot(page, "clear-operation");
  await page.context().close();

  const api = await apiAs(playwright, baseURL, "operator");
  const cleared = await snapshot(api, collectionId);
  expect(cleared).toMatchObject({ documents: 0, points: 0 });
  expect(cleared.tops.every((t) => t.scores.length === 0)).toBe(true);
  const backups = (await (await api.get(`/api/v1/backups?collectionId=${collectionId}`)).json()).data as Array<{ id: string; note: string; status: string; sha256: string; pointCount: number }>;
  const first = backups.find((b) => b.note === "before the clear")!;
  const taken = backups.find((b) => b.note === "Taken before a clear.")!;
  firstBackupId = first.id;
  expect(taken).toMatchObject({ status: "complete", sha256: first.sha256, pointCount: first.pointCount });

  const dry = await api.post("/api/v1/restores", { data: { backupId: taken.id, mode: "replace", collectionId, dryRun: true } });
  expect((await dry.json()).data).toMatchObject({ backup: { points: first.pointCount, documents: 40 }, refusals: {} });
  const res = await api.post("/api/v1/restores", { data: { backupId: taken.id, mode: "replace", collectionId, confirm: NAME } });
  expect(res.status(), await res.text()).toBe(202);
  expect((await finished(api, (await res.json()).data.operationId)).status).toBe("succeeded");
  expect(await snapshot(api, collectionId)).toEqual(before);
  await api.dispose();
});

test("a replace-restore switches with 0 failed and 0 empty searches under a 20 q/s loop; a restore into a new collection answers the same", async ({ playwright, baseURL }) => {
  test.setTimeout(240_000);
  const api = await apiAs(playwright, baseURL, "operator");
  const stop = searchLoop(api, collectionId, queries);
  let searched;
  try {
    const res = await api.post("/api/v1/restores", { data: { backupId: firstBackupId, mode: "replace", collectionId, confirm: NAME } });
    expect(res.status(), await res.text()).toBe(202);
    const op = await finished(api, (await res.json()).data.operationId);
    expect(op.status, op.error ?? "").toBe("succeeded");
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    searched = await stop();
  }
  expect(searched.queries).toBeGreaterThan(20);
  expect(searched.failed).toEqual([]);
  expect(searched.empty).toBe(0);
  expect(await snapshot(api, collectionId)).toEqual(before);

  const copy = await api.post("/api/v1/restores", { data: { backupId: firstBackupId, mode: "new", into: `${NAME}-copy` } });
  expect(copy.status(), await copy.text()).toBe(202);
  const started = (await copy.json()).data;
  expect((await finished(api, started.operationId)).status).toBe("succeeded");
  expect(await snapshot(api, started.collectionId)).toEqual(before);
  await api.dispose();
});
