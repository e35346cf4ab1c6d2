import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { writeCorpus } from "../bench/corpus";
import { isReady, launcherFor, waitFor } from "./launcher-support";

/** The server dies (SIGKILL, whole process group) in the middle of an INDEX of 2,000 documents. */
const ROOT = path.resolve(".stevedore/e2e-crash");
const SOURCE = path.join(ROOT, "source");
const PORT = 3214;
const base = `http://127.0.0.1:${PORT}`;
const launcher = launcherFor({ dataDir: path.join(ROOT, "data"), admin: { email: "crash-admin@e2e.test", password: "crash-admin-password" }, env: { STEVEDORE_SOURCE_ROOTS: SOURCE, STEVEDORE_PIPELINE_BATCH_SIZE: "50" } });

test.afterAll(() => launcher.killAll());

test("after a kill mid-INDEX and a restart, the operation completes with one point per chunk and no document stuck", async ({ playwright }) => {
  test.setTimeout(420_000);
  fs.rmSync(ROOT, { recursive: true, force: true });
  await writeCorpus(SOURCE, 2000);
  const first = launcher.launch(PORT);
  await waitFor("start", () => isReady(base), 180_000);
  let request = await playwright.request.newContext();
  await launcher.signIn(request, base);
  const created = await request.post(`${base}/api/v1/collections`, { data: { name: "crashy", source: { kind: "directory", name: "corpus", path: SOURCE } }, headers: { origin: base } });
  expect(created.status()).toBe(201);
  const { operationId, collectionId } = (await created.json()).data;
  const operation = async () => (await (await request.get(`${base}/api/v1/operations/${operationId}`)).json()).data.operation;

  // Kill once documents are flowing, well before the end.
  await waitFor("documents to be stored", async () => ((await operation()).progress?.done ?? 0) >= 200, 120_000);
  const before = await operation();
  expect(before.progress.done).toBeLessThan(2000);
  process.kill(-first.child.pid!, "SIGKILL");
  await request.dispose();
  await waitFor("the old PostgreSQL to stop", () => launcher.processesUsingDataDir().length === 0, 30_000);

  launcher.launch(PORT);
  await waitFor("restart", () => isReady(base), 120_000);
  request = await playwright.request.newContext();
  await launcher.signIn(request, base);
  await waitFor("the INDEX to finish", async () => !["queued", "running", "waiting"].includes((await operation()).status), 300_000);
  const after = await operation();
  expect(after.status).toBe("succeeded");
  expect(after.result).toMatchObject({ files: 2000, inserted: 2000, failed: 0 });

  const detail = (await (await request.get(`${base}/api/v1/collections/${collectionId}`)).json()).data;
  expect(detail.stats).toMatchObject({ documents: 2000, complete: 2000, active: 0, dead: 0 });
  const active = detail.versions.find((v: { status: string }) => v.status === "active");
  expect(active.pointCount).toBe(detail.stats.points); // the vector store holds exactly one point per chunk
  expect(after.result.points).toBe(after.result.chunks);
  await request.dispose();
});
