import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { isReady, launcherFor, waitFor } from "./launcher-support";

/** The launcher itself, as `npm start` runs it: locking, SIGKILL recovery and clean shutdown. */
const DATA_DIR = path.resolve(".stevedore/e2e-launcher");
const PORT = 3212;
const base = `http://127.0.0.1:${PORT}`;
const launcher = launcherFor({ dataDir: DATA_DIR, admin: { email: "launcher-admin@e2e.test", password: "launcher-admin-password" } });

test.afterAll(() => launcher.killAll());

test("one launcher per data dir; SIGKILL loses nothing and the next start is clean; SIGTERM leaves no process", async ({ playwright }) => {
  test.setTimeout(240_000);
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  const first = launcher.launch(PORT);
  await waitFor("first start", () => isReady(base), 180_000);

  // Signed calls: a key generated on first start, private to the launcher's user; unsigned calls refused.
  const keyFile = path.join(DATA_DIR, "inngest-signing-key");
  const signingKey = fs.readFileSync(keyFile, "utf8").trim();
  expect(signingKey).toMatch(/^signkey-local-[0-9a-f]{64}$/);
  expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  const unsigned = await fetch(`${base}/api/inngest?fnId=stevedore-run-self-test&stepId=step`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(unsigned.status).toBe(401);

  const second = launcher.launch(PORT + 1);
  const code = await new Promise((r) => second.child.once("exit", r));
  expect(code).toBe(1);
  expect(second.output()).toContain("Another Stevedore launcher");
  expect(await isReady(base)).toBe(true);

  let request = await playwright.request.newContext();
  await launcher.signIn(request, base);
  const created = await request.post(`${base}/api/v1/users`, { data: { email: "survivor@e2e.test", name: "Survivor", role: "viewer", password: "survives-a-kill-9" }, headers: { origin: base } });
  expect(created.status()).toBe(201);
  await request.dispose();

  // SIGKILL the launcher's whole process group: no handler runs. PostgreSQL's watchdog stops it.
  process.kill(-first.child.pid!, "SIGKILL");
  await waitFor("the orphaned PostgreSQL to stop", () => launcher.processesUsingDataDir().length === 0, 30_000);
  expect(fs.existsSync(path.join(DATA_DIR, "launcher.lock"))).toBe(true); // stale, to be taken over

  const restarted = launcher.launch(PORT);
  await waitFor("restart after SIGKILL", () => isReady(base), 60_000);
  expect(fs.readFileSync(keyFile, "utf8").trim()).toBe(signingKey); // kept, not regenerated
  request = await playwright.request.newContext();
  await launcher.signIn(request, base);
  const users = (await (await request.get(`${base}/api/v1/users`)).json()).data as { email: string }[];
  expect(users.map((u) => u.email)).toContain("survivor@e2e.test");
  const audit = (await (await request.get(`${base}/api/v1/audit?action=user.create&outcome=success`)).json()).data.rows as { params: { email?: string } }[];
  expect(audit.some((r) => r.params.email === "survivor@e2e.test")).toBe(true);
  await request.dispose();

  process.kill(restarted.child.pid!, "SIGTERM");
  const exitCode = await new Promise((r) => restarted.child.once("exit", r));
  expect(exitCode).toBe(0);
  expect(restarted.output()).toContain("stopped");
  expect(launcher.processesUsingDataDir()).toEqual([]);
  expect(fs.existsSync(path.join(DATA_DIR, "launcher.lock"))).toBe(false);
  expect(fs.existsSync(path.join(DATA_DIR, "postgres", "postmaster.pid"))).toBe(false);
});
