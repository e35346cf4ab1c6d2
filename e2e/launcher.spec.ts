import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";

/** The launcher itself, as `npm start` runs it: locking, SIGKILL recovery and clean shutdown. */
const DATA_DIR = path.resolve(".stevedore/e2e-launcher");
const PORT = 3212;
const ADMIN = { email: "launcher-admin@e2e.test", password: "launcher-admin-password" };
const base = `http://127.0.0.1:${PORT}`;

const launched: ChildProcess[] = [];
test.afterAll(() => {
  for (const child of launched) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  }
});

function launch(port = PORT): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, STEVEDORE_DATA_DIR: DATA_DIR, PORT: String(port), STEVEDORE_ADMIN_EMAIL: ADMIN.email, STEVEDORE_ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  launched.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  return { child, output: () => output };
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ready = () => fetch(`${base}/api/health/ready`).then((r) => r.status === 200, () => false);

/** Processes whose command line names our data dir: the embedded PostgreSQL and its children. */
function processesUsingDataDir(): number[] {
  return fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes(DATA_DIR);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function signIn(request: APIRequestContext) {
  const { csrfToken } = await (await request.get(`${base}/api/auth/csrf`)).json();
  await request.post(`${base}/api/auth/callback/credentials`, { form: { csrfToken, email: ADMIN.email, password: ADMIN.password, json: "true" } });
  expect((await request.get(`${base}/api/v1/me`)).status()).toBe(200);
}

test.describe.configure({ mode: "serial" });

test("one launcher per data dir; SIGKILL loses nothing and the next start is clean; SIGTERM leaves no process", async ({ playwright }) => {
  test.setTimeout(240_000);
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  const first = launch();
  await waitFor("first start", ready, 180_000);

  const second = launch(PORT + 1);
  const code = await new Promise((r) => second.child.once("exit", r));
  expect(code).toBe(1);
  expect(second.output()).toContain("Another Stevedore launcher");
  expect(await ready()).toBe(true);

  let request = await playwright.request.newContext();
  await signIn(request);
  const created = await request.post(`${base}/api/v1/users`, { data: { email: "survivor@e2e.test", name: "Survivor", role: "viewer", password: "survives-a-kill-9" } });
  expect(created.status()).toBe(201);
  await request.dispose();

  // SIGKILL the launcher's whole process group: no handler runs. PostgreSQL's watchdog stops it.
  process.kill(-first.child.pid!, "SIGKILL");
  await waitFor("the orphaned PostgreSQL to stop", () => processesUsingDataDir().length === 0, 30_000);
  expect(fs.existsSync(path.join(DATA_DIR, "launcher.lock"))).toBe(true); // stale, to be taken over

  const restarted = launch();
  await waitFor("restart after SIGKILL", ready, 60_000);
  request = await playwright.request.newContext();
  await signIn(request);
  const users = (await (await request.get(`${base}/api/v1/users`)).json()).data as { email: string }[];
  expect(users.map((u) => u.email)).toContain("survivor@e2e.test");
  const audit = (await (await request.get(`${base}/api/v1/audit?action=user.create&outcome=success`)).json()).data.rows as { params: { email?: string } }[];
  expect(audit.some((r) => r.params.email === "survivor@e2e.test")).toBe(true);
  await request.dispose();

  process.kill(restarted.child.pid!, "SIGTERM");
  const exitCode = await new Promise((r) => restarted.child.once("exit", r));
  expect(exitCode).toBe(0);
  expect(restarted.output()).toContain("stopped");
  expect(processesUsingDataDir()).toEqual([]);
  expect(fs.existsSync(path.join(DATA_DIR, "launcher.lock"))).toBe(false);
  expect(fs.existsSync(path.join(DATA_DIR, "postgres", "postmaster.pid"))).toBe(false);
});
