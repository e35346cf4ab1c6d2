import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { writeCorpus } from "../bench/corpus";
import { isReady, launcherFor, waitFor, type Launched } from "./launcher-support";

/**
 * The server dies (SIGKILL, whole process group) three times during one REINDEX that waits for
 * approval: mid-reprocessing, while it awaits approval, and at the switch. (Preflight, staging and
 * validation last a moment each; their steps are idempotent and retried like any other.)
 */
const ROOT = path.resolve(".stevedore/e2e-reindex-crash");
const SOURCE = path.join(ROOT, "source");
const PORT = 3215;
const BATCH = 50;
const base = `http://127.0.0.1:${PORT}`;
const launcher = launcherFor({ dataDir: path.join(ROOT, "data"), admin: { email: "reindex-crash@e2e.test", password: "reindex-crash-password" }, env: { STEVEDORE_SOURCE_ROOTS: SOURCE, STEVEDORE_PIPELINE_BATCH_SIZE: String(BATCH) } });

test.afterAll(() => launcher.killAll());

test("a REINDEX killed mid-reprocessing, awaiting approval and at its switch resumes each time: reprocessing repeats at most one batch, search serves the live version, no version is orphaned", async ({ playwright }) => {
  test.setTimeout(480_000);
  fs.rmSync(ROOT, { recursive: true, force: true });
  await writeCorpus(SOURCE, 1000, 2000, { topics: 30 });
  let server: Launched = launcher.launch(PORT);
  await waitFor("start", () => isReady(base), 180_000);
  let request: APIRequestContext = await playwright.request.newContext();
  await launcher.signIn(request, base);
  const headers = { origin: base };

  const created = await request.post(`${base}/api/v1/collections`, { data: { name: "crash-reindex", chunkSize: 300, chunkOverlap: 30, source: { kind: "directory", name: "corpus", path: SOURCE } }, headers });
  expect(created.status()).toBe(201);
  const { operationId: indexId, collectionId } = (await created.json()).data;
  const get = async (p: string) => (await (await request.get(`${base}${p}`)).json()).data;
  await waitFor("the INDEX", async () => (await get(`/api/v1/operations/${indexId}`)).operation.status === "succeeded", 180_000);
  const indexed = (await get(`/api/v1/collections/${collectionId}`)).stats;

  /** The live version answers: hits come back, from the version PostgreSQL says is active. */
  const searchServes = async () => {
    const res = await request.post(`${base}/api/v1/collections/${collectionId}/search`, { data: { query: "harbour3 crane3 manifest", limit: 5 }, headers });
    expect(res.status()).toBe(200);
    expect((await res.json()).data.hits.length).toBe(5);
  };
  const kill = async () => {
    process.kill(-server.child.pid!, "SIGKILL");
    await request.dispose();
    await waitFor("the old PostgreSQL to stop", () => launcher.processesUsingDataDir().length === 0, 30_000);
    server = launcher.launch(PORT);
    await waitFor("restart", () => isReady(base), 120_000);
    request = await playwright.request.newContext();
    await launcher.signIn(request, base);
    await searchServes();
  };

  // Throttled so reprocessing surely runs when the first kill comes.
  const started = await request.post(`${base}/api/v1/collections/${collectionId}/reindex`, { data: { settings: { chunkSize: 500, chunkOverlap: 50 }, requireApproval: true, throttleDocsPerS: 100, confirm: "crash-reindex" }, headers });
  expect(started.status()).toBe(202);
  const { operationId } = (await started.json()).data;
  const operation = () => get(`/api/v1/operations/${operationId}`);
  const checkpoint = async (name: string) => ((await operation()).steps as { name: string; status: string; output: Record<string, unknown> }[]).find((s) => s.name === name);

  await waitFor("reprocessing to be a third done", async () => ((await operation()).operation.progress?.done ?? 0) >= 330, 120_000);
  await searchServes();
  await kill();

  await waitFor("validation, then the approval wait", async () => (await checkpoint("approval"))?.status === "running", 180_000);
  const reprocessing = await checkpoint("reprocessing");
  expect(reprocessing).toMatchObject({ status: "succeeded", output: { documents: indexed.documents } });
  // The batch in flight at the kill was written again, and nothing else.
  console.log(`reindex crash: ${reprocessing!.output.rewritten} of ${indexed.documents} documents written twice (batch ${BATCH})`);
  expect(reprocessing!.output.rewritten).toBeLessThanOrEqual(BATCH);
  const deadline = (await checkpoint("approval"))!.output.deadline;
  await kill();
  expect(await checkpoint("approval")).toMatchObject({ status: "running", output: { deadline } });
  expect((await get(`/api/v1/collections/${collectionId}/versions`)).versions.find((v: { status: string }) => v.status === "active").version).toBe(1);

  const approved = await request.post(`${base}/api/v1/operations/${operationId}/approve`, { data: { comment: "after two restarts" }, headers });
  expect(approved.status()).toBe(200);
  await waitFor("the switch", async () => ["running", "succeeded"].includes((await checkpoint("switch"))?.status ?? ""), 60_000);
  await kill();

  await waitFor("the REINDEX to finish", async () => !["queued", "running", "waiting"].includes((await operation()).operation.status), 120_000);
  const done = (await operation()).operation;
  expect(done).toMatchObject({ status: "succeeded", result: { fromVersion: 1, toVersion: 2 } });
  const versions = await get(`/api/v1/collections/${collectionId}/versions`);
  expect(versions.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, "active"], [1, "retired"]]);
  expect(versions.orphans).toEqual([]);
  expect(versions.history.map((c: { reason: string; toVersion: number }) => [c.reason, c.toVersion])).toEqual([["reindex", 2], ["index", 1]]);
  const after = (await get(`/api/v1/collections/${collectionId}`)).stats;
  expect(after.points).toBe(done.result.points);
  await searchServes();
  await request.dispose();
});
