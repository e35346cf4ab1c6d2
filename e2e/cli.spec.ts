import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_COPIES_ROOT } from "../playwright.config";
import { stateFile } from "./fixtures";

/**
 * The `stevedore` CLI as a user runs it: a child process against the shared console, with an API
 * token created through the API. Each case checks the exit code, what is printed, and what the
 * console holds afterwards.
 */
const NAME = "cli-e2e";
const BIN = path.resolve("cli/stevedore.mjs");

type Run = { code: number; stdout: string; stderr: string };

let api: APIRequestContext;
let baseURL: string;
let adminToken: string;
let viewerToken: string;
let collectionId: string;
let indexOperationId: string;
const configHome = mkdtempSync(path.join(tmpdir(), "stevedore-cli-"));

/** `onTerminal`: under util-linux `script`, so stdout and stderr are a pseudo-terminal (merged into stdout). */
function cli(args: string[], env: Record<string, string | undefined> = {}, onTerminal = false): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("STEVEDORE_")));
  const childEnv: Record<string, string | undefined> = { ...base, XDG_CONFIG_HOME: configHome, STEVEDORE_URL: baseURL, STEVEDORE_TOKEN: adminToken, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return new Promise((resolve) => {
    const [file, argv] = onTerminal ? ["script", ["-qec", [process.execPath, BIN, ...args].join(" "), "/dev/null"]] as const : [process.execPath, [BIN, ...args]] as const;
    execFile(file, argv, { env: childEnv as unknown as NodeJS.ProcessEnv, encoding: "utf8", timeout: 180_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const json = <T>(run: Run): T => JSON.parse(run.stdout) as T;
const noStack = (run: Run) => expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+|TypeError|ReferenceError/);

async function collectionState() {
  const response = await api.get(`/api/v1/collections/${collectionId}`);
  expect(response.status()).toBe(200);
  const { data } = (await response.json()) as { data: { collection: { chunkSize: number; status: string }; stats: { documents: number; points: number }; operations: Array<{ type: string }> } };
  return data;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ playwright }, testInfo) => {
  testInfo.setTimeout(240_000);
  baseURL = testInfo.project.use.baseURL!;
  api = await playwright.request.newContext({ baseURL, storageState: stateFile("admin"), extraHTTPHeaders: { origin: baseURL } });
  const token = async (name: string, role: string) => {
    const response = await api.post("/api/v1/tokens", { data: { name, role } });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { data: { secret: string } }).data.secret;
  };
  adminToken = await token("cli-e2e-admin", "admin");
  viewerToken = await token("cli-e2e-viewer", "viewer");

  const folder = path.join(E2E_COPIES_ROOT, `cli-${Date.now()}`);
  mkdirSync(folder, { recursive: true });
  const topics = ["harbour cranes lift containers", "tugboats guide freighters", "pilots board ships at the breakwater"];
  topics.forEach((topic, i) => writeFileSync(path.join(folder, `note-${i}.md`), `# Note ${i}\n\n${Array.from({ length: 40 }, (_, n) => `Line ${n}: ${topic} while the tide turns.`).join("\n")}\n`));
  const created = await api.post("/api/v1/collections", { data: { name: NAME, source: { kind: "directory", name: "notes", path: folder } } });
  expect(created.status(), await created.text()).toBe(201);
  ({ collectionId, operationId: indexOperationId } = ((await created.json()) as { data: { collectionId: string; operationId: string } }).data);
  await expect
    .poll(async () => ((await (await api.get(`/api/v1/operations/${indexOperationId}`)).json()) as { data: { operation: { status: string } } }).data.operation.status, { timeout: 180_000 })
    .toBe("succeeded");
});

test.afterAll(async () => {
  await api?.dispose();
  rmSync(configHome, { recursive: true, force: true });
});

test("collections ls --json lists the collection with its counts; the table names it", async () => {
  const run = await cli(["collections", "ls", "--json"]);
  expect(run.code, run.stderr).toBe(0);
  const list = json<Array<{ collection: { id: string; name: string }; stats: { documents: number; points: number } }>>(run);
  const mine = list.find((c) => c.collection.name === NAME)!;
  expect(mine.collection.id).toBe(collectionId);
  expect(mine.stats.documents).toBe(3);
  expect(mine.stats.points).toBeGreaterThan(0);

  const human = await cli(["collections", "ls"]);
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(/^NAME\s+ID\s+STATUS/);
  expect(human.stdout).toMatch(new RegExp(`${NAME}\\s+${collectionId}\\s+ready\\s+3\\s`));
});

test("ops ls and ops show read the INDEX operation; filters reach the server", async () => {
  const run = await cli(["ops", "ls", "--type", "INDEX", "--limit", "5", "--json"]);
  expect(run.code, run.stderr).toBe(0);
  const ops = json<Array<{ operation: { id: string; type: string } }>>(run);
  expect(ops.map((o) => o.operation.id)).toContain(indexOperationId);
  expect(ops.every((o) => o.operation.type === "INDEX")).toBe(true);
  expect(ops.length).toBeLessThanOrEqual(5);

  const table = await cli(["ops", "ls"]);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(new RegExp(`${indexOperationId}\\s+INDEX\\s+succeeded`));

  const show = await cli(["ops", "show", indexOperationId]);
  expect(show.code, show.stderr).toBe(0);
  expect(show.stdout).toContain(`INDEX ${indexOperationId}`);
  expect(show.stdout).toMatch(/status:\s+succeeded/);

  const badType = await cli(["ops", "ls", "--type", "BOGUS"]);
  expect(badType.code).toBe(2);
  expect(badType.stderr).toContain("--type must be one of INDEX");
});

test("reindex --dry-run shows the diff and starts nothing; no change is a refusal (exit 1)", async () => {
  const run = await cli(["reindex", NAME, "--chunk-size", "600", "--dry-run", "--json"]);
  expect(run.code, run.stderr).toBe(0);
  const plan = json<{ dryRun: boolean; diff: Array<{ field: string; from: number; to: number }>; refusals: Record<string, string[]> }>(run);
  expect(plan.dryRun).toBe(true);
  expect(plan.diff).toEqual([{ field: "chunkSize", from: 1200, to: 600 }]);
  expect(plan.refusals).toEqual({});

  const same = await cli(["reindex", collectionId, "--chunk-size", "1200", "--dry-run"]);
  expect(same.code).toBe(1);
  expect(same.stdout).toContain("These are the current settings: change at least one.");
  expect(same.stderr).toContain("A start would be refused");
  const state = await collectionState();
  expect(state.operations.filter((o) => o.type === "REINDEX")).toHaveLength(0);
  expect(state.collection.chunkSize).toBe(1200);
});

test("reindex --wait follows the REINDEX to its switch and exits 0, with a progress bar on a terminal; the collection has the new chunk size", async () => {
  test.setTimeout(240_000);
  const run = await cli(["reindex", NAME, "--chunk-size", "600", "--wait"]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/REINDEX (queued|running)/);
  expect(run.stdout).toMatch(/^REINDEX [0-9a-f-]{36}\nstatus:\s+succeeded/);
  expect(run.stdout).toMatch(/switch\s+succeeded/);
  expect((await collectionState()).collection.chunkSize).toBe(600);

  // On a terminal the wait is a progress bar (cli-progress) rather than a line per change.
  const tty = await cli(["reindex", NAME, "--chunk-size", "900", "--wait"], {}, true);
  expect(tty.code, tty.stdout).toBe(0);
  expect(tty.stdout).toMatch(/REINDEX [\u2588\u2591]{30} \d+\/\d+/);
  expect(tty.stdout).not.toMatch(/^REINDEX (queued|running)/m);
  expect(tty.stdout).toMatch(/status:\s+succeeded/);
  expect((await collectionState()).collection.chunkSize).toBe(900);
});

test("reindex --require-approval --approve approves at the gate and waits to the end; ops reject refuses without --comment and rejects with one", async () => {
  test.setTimeout(240_000);
  const approved = await cli(["reindex", NAME, "--chunk-size", "700", "--require-approval", "--approve", "--json"]);
  expect(approved.code, approved.stderr).toBe(0);
  const detail = json<{ operation: { status: string }; steps: Array<{ name: string; status: string; output: { decision?: { decision: string; comment: string } } }> }>(approved);
  expect(detail.operation.status).toBe("succeeded");
  expect(detail.steps.find((s) => s.name === "approval")).toMatchObject({ status: "succeeded", output: { decision: { decision: "approve", comment: "Approved with stevedore reindex --approve." } } });
  expect((await collectionState()).collection.chunkSize).toBe(700);

  const started = await cli(["reindex", NAME, "--chunk-size", "1000", "--require-approval", "--json"]);
  expect(started.code, started.stderr).toBe(0);
  const { operationId } = json<{ operationId: string }>(started);
  await expect.poll(async () => json<{ operation: { status: string } }>(await cli(["ops", "show", operationId, "--json"])).operation.status, { timeout: 120_000 }).toBe("waiting");
  const noComment = await cli(["ops", "reject", operationId]);
  expect(noComment.code).toBe(2);
  expect(noComment.stderr).toContain("--comment");
  const rejected = await cli(["ops", "reject", operationId, "--comment", "not now"]);
  expect(rejected.code, rejected.stderr).toBe(0);
  expect(rejected.stdout).toContain(`Rejected ${operationId}`);
  await expect.poll(async () => json<{ operation: { status: string } }>(await cli(["ops", "show", operationId, "--json"])).operation.status, { timeout: 60_000 }).toBe("failed");
  const again = await cli(["ops", "approve", operationId]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain("already rejected");
  expect((await collectionState()).collection.chunkSize).toBe(700);
});

test("clear without --yes is refused with exit 2 and says how; the collection is untouched", async () => {
  const before = await collectionState();
  const run = await cli(["clear", NAME]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(`Refusing to clear “${NAME}” without --yes`);
  expect(run.stderr).toContain(`stevedore clear ${NAME} --yes`);
  noStack(run);
  const after = await collectionState();
  expect(after.stats).toEqual(before.stats);
  expect(after.operations.filter((o) => o.type === "CLEAR")).toHaveLength(0);
});

test("a bad token exits 3 and says to log in; a viewer's token is refused a reindex with exit 3; an unknown collection exits 4", async () => {
  const bad = await cli(["collections", "ls"], { STEVEDORE_TOKEN: "sv_not-a-real-token" });
  expect(bad.code).toBe(3);
  expect(bad.stderr).toContain("Token refused");
  expect(bad.stderr).toContain("stevedore login");
  noStack(bad);

  const viewer = await cli(["reindex", NAME, "--chunk-size", "800"], { STEVEDORE_TOKEN: viewerToken });
  expect(viewer.code).toBe(3);
  expect(viewer.stderr).toContain("Not allowed");
  expect((await collectionState()).collection.chunkSize).toBe(700);

  const missing = await cli(["ops", "show", "00000000-0000-4000-8000-000000000000"]);
  expect(missing.code).toBe(4);
  expect(missing.stderr).toContain("Operation was not found.");
  const unknown = await cli(["reindex", "no-such-collection", "--chunk-size", "800"]);
  expect(unknown.code).toBe(4);
  expect(unknown.stderr).toContain("stevedore collections ls");

  const none = await cli(["collections", "ls"], { STEVEDORE_TOKEN: undefined, STEVEDORE_URL: undefined, XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), "stevedore-empty-")) });
  expect(none.code).toBe(3);
  expect(none.stderr).toContain("Not logged in");
});

test("login checks the token, stores URL and token with mode 0600, and later commands use them", async () => {
  const home = mkdtempSync(path.join(tmpdir(), "stevedore-login-"));
  const env = { XDG_CONFIG_HOME: home, STEVEDORE_URL: undefined, STEVEDORE_TOKEN: undefined };
  const refused = await cli(["login", "--url", baseURL, "--token", "sv_wrong"], env);
  expect(refused.code).toBe(3);
  const file = path.join(home, "stevedore", "config.json");
  expect(() => statSync(file)).toThrow();

  const run = await cli(["login", "--url", `${baseURL}/`, "--token", adminToken], env);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain(`as admin@e2e.test (admin)`);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: baseURL, token: adminToken });
  const list = await cli(["collections", "ls", "--json"], env);
  expect(list.code, list.stderr).toBe(0);
  expect(json<Array<{ collection: { name: string } }>>(list).map((c) => c.collection.name)).toContain(NAME);
  rmSync(home, { recursive: true, force: true });
});

test("the OpenAPI document is served without authentication and describes the routes the CLI calls", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const response = await anonymous.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const doc = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toBe("3.1.0");
  for (const [p, m] of [["/api/v1/collections", "get"], ["/api/v1/collections/{id}/reindex", "post"], ["/api/v1/operations/{id}", "get"], ["/api/v1/me", "get"]] as const) expect(doc.paths[p]?.[m], `${m} ${p}`).toBeTruthy();
  await anonymous.dispose();
});

test("backup --wait takes a backup and exits 0; restore --dry-run of it reports without changing anything", async () => {
  test.setTimeout(240_000);
  const backup = await cli(["backup", NAME, "--note", "from the CLI", "--wait", "--json"]);
  expect(backup.code, backup.stderr).toBe(0);
  const detail = json<{ operation: { type: string; status: string } }>(backup);
  expect(detail.operation).toMatchObject({ type: "BACKUP", status: "succeeded" });
  const listed = (await (await api.get(`/api/v1/backups?collectionId=${collectionId}`)).json()) as { data: Array<{ id: string; note?: string }> };
  const made = listed.data.find((b) => b.note === "from the CLI");
  expect(made).toBeTruthy();

  const before = await collectionState();
  const restore = await cli(["restore", made!.id, "--into", `${NAME}-restored`, "--dry-run", "--json"]);
  expect(restore.code, restore.stderr).toBe(0);
  expect(json<{ dryRun: boolean; backup: { points: number }; refusals: object }>(restore)).toMatchObject({ dryRun: true, backup: { points: expect.any(Number) }, refusals: {} });
  expect((await collectionState()).stats).toEqual(before.stats);
  const names = ((await (await api.get("/api/v1/collections")).json()) as { data: Array<{ collection: { name: string } }> }).data.map((c) => c.collection.name);
  expect(names).not.toContain(`${NAME}-restored`);
});
