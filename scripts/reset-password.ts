import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations } from "@/db/migrate";
import { closeDb } from "@/db/client";
import { env, reloadEnv } from "@/lib/env";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { acquireLock, type Lock } from "@/lib/runtime/lock";
import { systemContext } from "@/lib/services/context";
import { ServiceError } from "@/lib/services/errors";
import { resetPassword } from "@/lib/services/user/reset-password";

/**
 * `npm run reset-password -- <email>`, on the server: the way back in for a locked-out or forgotten
 * account. The new password comes from STEVEDORE_NEW_PASSWORD, or is generated and printed once.
 * Works whether the console is running (it uses the running embedded PostgreSQL) or not.
 */
const USAGE = "usage: npm run reset-password -- <email>   (new password from STEVEDORE_NEW_PASSWORD, else generated)";
const say = (line: string) => process.stdout.write(`[stevedore] ${line}\n`);

/** The URL of the embedded PostgreSQL a running launcher started, from its postmaster.pid; none if it is not running. */
function runningEmbeddedUrl(pgDir: string): string | undefined {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return undefined;
  const [pid, , , port] = fs.readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pid), 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  const password = fs.readFileSync(path.join(path.dirname(pgDir), path.basename(pgDir) + ".password"), "utf8").trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${Number(port)}/postgres`;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const initial = env();
  let pg: EmbeddedPostgres | undefined;
  let lock: Lock | undefined;
  try {
    if (!initial.DATABASE_URL) {
      const dataDir = path.resolve(initial.STEVEDORE_DATA_DIR);
      const pgDir = path.join(dataDir, "postgres");
      let url = runningEmbeddedUrl(pgDir);
      if (!url) {
        if (!fs.existsSync(path.join(pgDir, "PG_VERSION"))) throw new Error(`no database under ${dataDir}: start the console once first, or set DATABASE_URL`);
        // The console is stopped: hold its lock so it cannot start on the same data while we work.
        lock = acquireLock(path.join(dataDir, "launcher.lock"));
        pg = await startEmbeddedPostgres({ dataDir: pgDir, port: initial.STEVEDORE_PG_PORT });
        url = pg.url;
        await applyMigrations(url);
      }
      process.env.DATABASE_URL = url;
    }
    const e = reloadEnv();
    const result = await resetPassword({ ctx: systemContext(), input: { email: positionals[0], password: e.STEVEDORE_NEW_PASSWORD } });
    say(`password of ${result.email} reset; its sign-in locks are cleared and its sessions ended`);
    if (result.generatedPassword) say(`new password (shown only once): ${result.generatedPassword}`);
    return 0;
  } catch (err) {
    if (err instanceof ServiceError) {
      const fields = Object.entries(err.fieldErrors ?? {}).map(([k, v]) => `${k === "password" ? "STEVEDORE_NEW_PASSWORD" : k}: ${v.join(" ")}`);
      process.stderr.write(`[stevedore] ${[err.message, ...fields].join("\n  ")}\n`);
      return 1;
    }
    process.stderr.write(`[stevedore] reset-password failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await closeDb().catch(() => undefined);
    await pg?.stop();
    lock?.release();
  }
}

void main().then((code) => process.exit(code));
