import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { writeCorpus } from "../bench/corpus";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/runtime/embedded-postgres";
import { holdLock } from "./database";
import { isReady, launcherFor, waitFor, type Launched } from "./launcher-support";

/**
 * The server dies (SIGKILL, whole process group) in the middle of a BACKUP (held to 1 MB/s, so it
 * is still writing) and in the middle of a replace-RESTORE's load (held by a lock at its last
 * statement, with every point already in the staging version). Each resumes after the restart; the
 * live collection serves its own version throughout and is never half restored.
 */
const ROOT = path.resolve(".stevedore/e2e-backup-crash");
const SOURCE = path.join(ROOT, "source");
const PORT = 3216;
const base = `http://127.0.0.1:${PORT}`;
let pg: EmbeddedPostgres | undefined;
let launcher: ReturnType<typeof launcherFor> | undefined;

test.afterAll(async () => {
  launcher?.killAll();
  await pg?.stop();
});

test("a BACKUP and a replace-RESTORE killed midway both resume: a whole, verified file, and a switch only once every point is in", async ({ playwright }) => {
  test.setTimeout(600_000);
  fs.rmSync(ROOT, { recursive: true, force: true });
  await writeCorpus(SOURCE, 1500, 2000, { topics: 30 });
  pg = await startEmbeddedPostgres({ dataDir: path.join(ROOT, "postgres") });
  const url = pg.url;
  const backupDir = path.join(ROOT, "data", "backups");
  launcher = launcherFor({ dataDir: path.join(ROOT, "data"), admin: { email: "backup-crash@e2e.test", password: "backup-crash-password" }, env: { DATABASE_URL: url, STEVEDORE_SOURCE_ROOTS: SOURCE, STEVEDORE_EXECUTOR_LEASE_MS: "10000" } });
  let server: Launched = launcher.launch(PORT);
  await waitFor("start", () => isReady(base), 180_000);
  let request: APIRequestContext = await playwright.request.newContext();
  await launcher.signIn(request, base);
  const headers = { origin: base };
  const get = async (p: string) => (await (await request.get(`${base}${p}`)).json()).data;
  const done = (operationId: string) => waitFor(`operation ${operationId}`, async () => !["queued", "running", "waiting"].includes((await get(`/api/v1/operations/${operationId}`)).operation.status), 240_000);

  const created = await request.post(`${base}/api/v1/collections`, { data: { name: "crash-backup", source: { kind: "directory", name: "corpus", path: SOURCE } }, headers });
  expect(created.status()).toBe(201);
  const { operationId: indexId, collectionId } = (await created.json()).data;
  await done(indexId);
  const indexed = (await get(`/api/v1/collections/${collectionId}`)).stats;
  const search = async () => {
    const res = await request.post(`${base}/api/v1/collections/${collectionId}/search`, { data: { query: "harbour3 crane3 manifest", limit: 5 }, headers });
    expect(res.status()).toBe(200);
    return (await res.json()).data.hits.map((h: { path: string; ordinal: number }) => `${h.path}#${h.ordinal}`);
  };
  const answers = await search();
  expect(answers).toHaveLength(5);

  const restart = async () => {
    process.kill(-server.child.pid!, "SIGKILL");
    await request.dispose();
    await waitFor("the server to die", () => server.child.exitCode !== null || server.child.signalCode !== null, 30_000);
  };
  const relaunch = async () => {
    server = launcher!.launch(PORT);
    await waitFor("restart", () => isReady(base), 120_000);
    request = await playwright.request.newContext();
    await launcher!.signIn(request, base);
  };

  // BACKUP at 1 MB/s: killed once its file is being written.
  const backup = await request.post(`${base}/api/v1/collections/${collectionId}/backups`, { data: { note: "crash", rateLimitMBps: 1 }, headers });
  expect(backup.status(), await backup.text()).toBe(202);
  const { operationId: backupOp, backupId } = (await backup.json()).data;
  const partial = path.join(backupDir, `${backupId}.jsonl.gz.partial`);
  await waitFor("the backup file to be written", () => fs.existsSync(partial) && fs.statSync(partial).size > 500_000, 120_000);
  await restart();
  expect(fs.existsSync(path.join(backupDir, `${backupId}.jsonl.gz`))).toBe(false);
  await relaunch();
  await done(backupOp);
  const backedUp = await get(`/api/v1/operations/${backupOp}`);
  if (backedUp.operation.status !== "succeeded") console.log(`the server's log:\n${server.output().slice(-6000)}`);
  expect(backedUp.operation.status, backedUp.operation.error ?? "").toBe("succeeded");
  expect(backedUp.steps.find((s: { name: string }) => s.name === "backup")).toMatchObject({ status: "succeeded", attempts: 2 });
  expect(fs.existsSync(partial)).toBe(false);
  const file = await get(`/api/v1/backups/${backupId}`);
  expect(file).toMatchObject({ status: "complete", pointCount: indexed.points });
  const verify = (await (await request.post(`${base}/api/v1/backups/${backupId}/verify`, { headers })).json()).data;
  await done(verify.operationId);
  expect(await get(`/api/v1/backups/${backupId}`)).toMatchObject({ verifiedOk: true, sha256: file.sha256 });

  // Replace-RESTORE held at its load's last statement (every point is in staging), killed there.
  const lock = await holdLock(url, "lock table backups in share mode");
  const restore = await request.post(`${base}/api/v1/restores`, { data: { backupId, mode: "replace", collectionId, confirm: "crash-backup" }, headers });
  expect(restore.status(), await restore.text()).toBe(202);
  const { operationId: restoreOp } = (await restore.json()).data;
  await waitFor("the load to wait for the lock", async () => (await lock.blocked()).length > 0, 120_000);
  expect((await lock.blocked())[0]!.query).toMatch(/^update "backups" set "verified_at"/);
  const beforeKill = await get(`/api/v1/collections/${collectionId}/versions`);
  expect(beforeKill.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, "staging"], [1, "active"]]);
  expect(await search()).toEqual(answers);
  await restart();
  await lock.endWaiting();
  await lock.release();
  await relaunch();
  // Until the retried load has proven the file again, the live version is the one searched.
  expect(await search()).toEqual(answers);
  await done(restoreOp);
  const restored = await get(`/api/v1/operations/${restoreOp}`);
  if (restored.operation.status !== "succeeded") console.log(`the server's log:\n${server.output().slice(-6000)}`);
  expect(restored.operation.status, restored.operation.error ?? "").toBe("succeeded");
  expect(restored.steps.find((s: { name: string }) => s.name === "load")).toMatchObject({ status: "succeeded", attempts: 2 });
  const versions = await get(`/api/v1/collections/${collectionId}/versions`);
  expect(versions.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, "active"], [1, "retired"]]);
  expect(versions.orphans).toEqual([]);
  expect((await get(`/api/v1/collections/${collectionId}`)).stats).toMatchObject({ documents: indexed.documents, points: indexed.points });
  expect(await search()).toEqual(answers);
  await request.dispose();
});
