import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { writeCorpus } from "../bench/corpus";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/runtime/embedded-postgres";
import { holdLock, type HeldLock } from "./database";
import { isReady, launcherFor, waitFor, type Launched } from "./launcher-support";

/**
 * The server dies (SIGKILL, whole process group) once inside each checkpoint of one REINDEX that
 * waits for approval. Each kill lands at a chosen statement: the test holds a PostgreSQL lock that
 * statement needs, waits until the checkpoint is running and blocked on it, kills, and lets go.
 * The database outlives the server (DATABASE_URL, as in production), so the locks outlast the kills.
 */
const ROOT = path.resolve(".stevedore/e2e-reindex-crash");
const SOURCE = path.join(ROOT, "source");
const PORT = 3215;
const BATCH = 50;
const base = `http://127.0.0.1:${PORT}`;
let pg: EmbeddedPostgres | undefined;
let launcher: ReturnType<typeof launcherFor> | undefined;

test.afterAll(async () => {
  launcher?.killAll();
  await pg?.stop();
});

type Step = { name: string; status: string; attempts: number; output: Record<string, unknown> };

test("a REINDEX killed once inside each checkpoint resumes every time: reprocessing repeats only the batch in flight, search serves the live version, no version is orphaned", async ({ playwright }) => {
  test.setTimeout(600_000);
  fs.rmSync(ROOT, { recursive: true, force: true });
  await writeCorpus(SOURCE, 1000, 2000, { topics: 30 });
  pg = await startEmbeddedPostgres({ dataDir: path.join(ROOT, "postgres") });
  const url = pg.url;
  const db = postgres(url, { max: 1, onnotice: () => {} });
  // The killed server's claims on work run out after 10 s instead of 30 (every kill waits for them);
  // not less, so that a loaded machine's stalls do not lose a live claim.
  launcher = launcherFor({ dataDir: path.join(ROOT, "data"), admin: { email: "reindex-crash@e2e.test", password: "reindex-crash-password" }, env: { DATABASE_URL: url, STEVEDORE_SOURCE_ROOTS: SOURCE, STEVEDORE_PIPELINE_BATCH_SIZE: String(BATCH), STEVEDORE_EXECUTOR_LEASE_MS: "10000" } });
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
  // Reprocessing goes through the documents in id order, a batch at a time: the 9th batch starts here.
  const ids = await db<{ id: string }[]>`select id from documents where collection_id = ${collectionId} and stage = 'complete' and duplicate_of is null order by id`;
  expect(ids).toHaveLength(indexed.documents);

  /** The live version answers: hits come back, from the version PostgreSQL says is active. */
  const searchServes = async () => {
    const res = await request.post(`${base}/api/v1/collections/${collectionId}/search`, { data: { query: "harbour3 crane3 manifest", limit: 5 }, headers });
    expect(res.status()).toBe(200);
    expect((await res.json()).data.hits.length).toBe(5);
  };

  // Each lock stops its checkpoint at a statement only that checkpoint runs; all are held from the start.
  const locks = {
    preflight: await holdLock(url, "select 1 from collections where id = $1 for share", [collectionId]),
    staging: await holdLock(url, "lock table collection_versions in share mode"),
    reprocessing: await holdLock(url, "select 1 from documents where id = $1 for update", [ids[8 * BATCH]!.id]),
    validation: await holdLock(url, "lock table golden_queries in access exclusive mode"),
    switch: await holdLock(url, "lock table alias_changes in share mode"),
  };

  const started = await request.post(`${base}/api/v1/collections/${collectionId}/reindex`, { data: { settings: { chunkSize: 500, chunkOverlap: 50 }, requireApproval: true, confirm: "crash-reindex" }, headers });
  expect(started.status()).toBe(202);
  const { operationId } = (await started.json()).data;
  const operation = () => get(`/api/v1/operations/${operationId}`);
  const checkpoint = async (name: string): Promise<Step | undefined> => ((await operation()).steps as Step[]).find((s) => s.name === name);

  /** Waits until `lock` holds back `statement`, then returns it. */
  const blockedOn = async (lock: HeldLock, statement: RegExp) => {
    await waitFor(`a statement to wait for the lock (${statement})`, async () => (await lock.blocked()).length > 0, 120_000);
    const [waiting] = await lock.blocked();
    expect(waiting!.query).toMatch(statement);
  };
  /** Kills the server while `name` is running (blocked on `lock`), lets the lock go, restarts; the live version answers throughout. */
  const killInside = async (name: string, lock?: HeldLock, statement?: RegExp) => {
    await waitFor(`${name} to be running`, async () => (await checkpoint(name))?.status === "running", 180_000);
    if (lock) await blockedOn(lock, statement!);
    expect((await checkpoint(name))?.status).toBe("running");
    await searchServes();
    const killedAt = Date.now();
    process.kill(-server.child.pid!, "SIGKILL");
    await request.dispose();
    await waitFor("the server to die", () => server.child.exitCode !== null || server.child.signalCode !== null, 30_000);
    if (lock) {
      await lock.endWaiting();
      await lock.release();
    }
    server = launcher!.launch(PORT);
    await waitFor("restart", () => isReady(base), 120_000);
    request = await playwright.request.newContext();
    await launcher!.signIn(request, base);
    await searchServes();
    const versions = await get(`/api/v1/collections/${collectionId}/versions`);
    expect(versions.orphans).toEqual([]);
    // Searches follow the active version: v1 until the switch commits (the retried switch may already have).
    const live = versions.versions.find((v: { status: string }) => v.status === "active").version;
    expect(name === "switch" ? [1, 2] : [1]).toContain(live);
    console.log(`reindex crash: killed inside ${name}, serving again after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
  };

  await killInside("preflight", locks.preflight, /^update "collections" set "status"/);
  await killInside("staging", locks.staging, /^insert into "collection_versions"/);

  // The 9th batch is held at its first write; then let through to write its points, and held
  // again before its position moves: the kill comes with that batch half done.
  await blockedOn(locks.reprocessing, /^insert into "version_documents"/);
  const [staging] = await db<{ id: string; documents_done: number }[]>`select id, documents_done from collection_versions where operation_id = ${operationId} and status = 'staging'`;
  expect(staging!.documents_done).toBe(8 * BATCH);
  const position = await holdLock(url, "select 1 from collection_versions where id = $1 for no key update", [staging!.id]);
  await locks.reprocessing.release();
  await killInside("reprocessing", position, /^update "collection_versions" set "cursor"/);

  await killInside("validation", locks.validation, /"golden_queries"/);
  const reprocessing = await checkpoint("reprocessing");
  expect(reprocessing).toMatchObject({ status: "succeeded", output: { documents: indexed.documents } });
  console.log(`reindex crash: ${reprocessing!.output.rewritten} of ${indexed.documents} documents written twice (batch ${BATCH})`);
  // The batch in flight at the kill was written again (its points were in), and at most that: not the 8 batches before it.
  expect(reprocessing!.output.rewritten).toBeGreaterThan(0);
  expect(reprocessing!.output.rewritten).toBeLessThanOrEqual(BATCH);

  await killInside("approval");
  const deadline = (await checkpoint("approval"))!.output.deadline;
  expect(deadline).toEqual(expect.any(String));
  const approved = await request.post(`${base}/api/v1/operations/${operationId}/approve`, { data: { comment: "after four restarts" }, headers });
  expect(approved.status()).toBe(200);
  await killInside("switch", locks.switch, /^insert into "alias_changes"/);

  await waitFor("the REINDEX to finish", async () => !["queued", "running", "waiting"].includes((await operation()).operation.status), 120_000);
  const done = await operation();
  expect(done.operation).toMatchObject({ status: "succeeded", result: { fromVersion: 1, toVersion: 2 } });
  // Each checkpoint the server died in ran again, once (reprocessing went on from its position instead).
  const attempts = Object.fromEntries((done.steps as Step[]).map((s) => [s.name, [s.status, s.attempts]]));
  expect(attempts).toMatchObject({ preflight: ["succeeded", 2], staging: ["succeeded", 2], validation: ["succeeded", 2], approval: ["succeeded", 1], switch: ["succeeded", 2], cleanup: ["succeeded", 1] });
  expect((done.steps as Step[]).find((s) => s.name === "approval")!.output.deadline).toBe(deadline);
  const versions = await get(`/api/v1/collections/${collectionId}/versions`);
  expect(versions.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, "active"], [1, "retired"]]);
  expect(versions.orphans).toEqual([]);
  expect(versions.history.map((c: { reason: string; toVersion: number }) => [c.reason, c.toVersion])).toEqual([["reindex", 2], ["index", 1]]);
  const after = (await get(`/api/v1/collections/${collectionId}`)).stats;
  expect(after.points).toBe(done.operation.result.points);
  await searchServes();
  await request.dispose();
  await db.end({ timeout: 5 });
});
