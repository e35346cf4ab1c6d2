import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import v8 from "node:v8";
import { applyMigrations } from "@/db/migrate";
import { closeDb } from "@/db/client";
import { env, reloadEnv, usesLocalExecutor, localExecutorSettings } from "@/lib/env";
import type { LocalExecutor } from "@/inngest/local-executor";
import { startLocalExecutorThread } from "@/inngest/local-executor/thread";
import { flushOperationLogs, getLogger } from "@/lib/observability/logger";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { acquireLock, type Lock } from "@/lib/runtime/lock";
import { persistentSecret } from "@/lib/runtime/secrets";
import { generateSigningKey, SIGNING_KEY_FORMAT } from "@/inngest/local-executor/signing";
import { ensureBuild } from "@/lib/runtime/build";
import { ensureFirstAdmin } from "@/lib/services/user/ensure-admin";

/**
 * `npm start`: embedded PostgreSQL unless DATABASE_URL is set, migrations, first admin, a build if
 * none is current, then the Next.js server in this process. SIGINT/SIGTERM stop everything in order.
 */
/**
 * After each full GC, V8 lets the heap grow by up to 4x the live data before the next one, and the
 * pipeline makes garbage fast (a 20 MB file's text, decoded, copied, sent): a heap snapshot at the
 * memory bench's peak found 194 MB live in a 391 MB heap. Growing by at most 1.5x (all isolates:
 * this thread, the executor's, the parse workers') took the bench's peak RSS from 995-1,233 MB
 * (7 runs) to 922-998 MB (3 runs) with the same ingest rate (2026-12-04). V8 reads the flag at
 * every GC, so setting it here, before the server starts, applies to the whole process.
 */
v8.setFlagsFromString("--heap-growing-percent=50");

const say = (line: string) => process.stdout.write(`[stevedore] ${line}\n`);

async function syncWithRetry(executor: LocalExecutor): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await executor.sync();
    } catch (err) {
      if (attempt >= 20) throw new Error(`the local executor could not sync with the app: ${err instanceof Error ? err.message : String(err)}`);
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED ??= "1"; // a self-hosted console does not phone home
  const initial = env();
  const dev = initial.STEVEDORE_DEV;
  (process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
  const dataDir = path.resolve(initial.STEVEDORE_DATA_DIR);
  fs.mkdirSync(dataDir, { recursive: true });

  let lock: Lock | undefined;
  let pg: EmbeddedPostgres | undefined;
  let server: http.Server | undefined;
  let executor: LocalExecutor | undefined;
  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    // The executor first: it stops calling the app (a step in flight finishes), then the app drains.
    await executor?.stop().catch(() => undefined);
    if (server) {
      const closed = new Promise((r) => server!.close(r));
      setTimeout(() => server?.closeAllConnections(), 5_000).unref();
      await closed;
    }
    // Lines the app logged about operations while it drained, stored before the database goes.
    await flushOperationLogs().catch(() => undefined);
    await closeDb().catch(() => undefined);
    await pg?.stop();
    lock?.release();
    clearTimeout(force);
    say("stopped");
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  try {
    lock = acquireLock(path.join(dataDir, "launcher.lock"));
    if (!initial.DATABASE_URL) {
      pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: initial.STEVEDORE_PG_PORT, log: say });
      process.env.DATABASE_URL = pg.url;
      say(`embedded PostgreSQL on 127.0.0.1:${pg.port} (data in ${path.join(dataDir, "postgres")})`);
    }
    process.env.NEXTAUTH_SECRET ??= persistentSecret(path.join(dataDir, "auth-secret"));
    const displayHost = initial.HOST === "0.0.0.0" || initial.HOST === "::" ? "localhost" : initial.HOST;
    const url = `http://${displayHost}:${initial.PORT}`;
    process.env.NEXTAUTH_URL ??= url;
    const e = reloadEnv();

    await applyMigrations(e.DATABASE_URL!);
    const admin = await ensureFirstAdmin({ email: e.STEVEDORE_ADMIN_EMAIL, password: e.STEVEDORE_ADMIN_PASSWORD });
    if (admin?.generatedPassword) {
      say(`created the first admin: ${admin.email} / ${admin.generatedPassword}`);
      say("this password is shown only once: sign in and change it under Settings");
    } else if (admin) say(`created the first admin: ${admin.email}`);

    if (usesLocalExecutor(e)) {
      const appHost = e.HOST === "0.0.0.0" || e.HOST === "::" ? "127.0.0.1" : e.HOST;
      const appUrl = e.STEVEDORE_APP_URL ?? `http://${appHost}:${e.PORT}/api/inngest`;
      // Signed like production: the handler runs in cloud mode and refuses any call not signed with this key.
      const signingKey = e.INNGEST_SIGNING_KEY ?? persistentSecret(path.join(dataDir, "inngest-signing-key"), generateSigningKey, SIGNING_KEY_FORMAT);
      const eventKey = e.INNGEST_EVENT_KEY ?? persistentSecret(path.join(dataDir, "inngest-event-key"), () => randomBytes(32).toString("hex"));
      // On a thread of its own: the executor's work then leaves the app's event loop to the requests.
      const options = { databaseUrl: e.DATABASE_URL!, appUrl, port: e.STEVEDORE_EXECUTOR_PORT, signingKey, eventKey, syncOnStart: false, ...localExecutorSettings(e) };
      executor = await startLocalExecutorThread({ ...options, logLevel: e.LOG_LEVEL, logBase: { app: "stevedore" } }, (err) => {
        getLogger().fatal({ err }, "the local executor stopped unexpectedly");
        void shutdown("executor failure", 1);
      });
      if (e.INNGEST_DEV) say("STEVEDORE_EXECUTOR=local: ignoring INNGEST_DEV (the local executor signs every call)");
      delete process.env.INNGEST_DEV;
      // The SDK in this process (cloud mode) sends events and REST calls to the executor, not to Inngest Cloud.
      Object.assign(process.env, {
        STEVEDORE_EXECUTOR: "local",
        INNGEST_SIGNING_KEY: signingKey,
        INNGEST_EVENT_KEY: eventKey,
        INNGEST_EVENT_API_BASE_URL: executor.url,
        INNGEST_API_BASE_URL: executor.url,
        STEVEDORE_LOCAL_EXECUTOR_URL: executor.url,
      });
      say(`local executor on ${executor.url}, calling ${appUrl}`);
    } else {
      process.env.STEVEDORE_EXECUTOR = "inngest";
      say("durable execution: the configured Inngest server (no local executor)");
    }

    if (!dev) await ensureBuild(say);
    const { default: next } = await import("next");
    const app = next({ dev, dir: process.cwd(), hostname: e.HOST, port: e.PORT });
    await app.prepare();
    const handle = app.getRequestHandler();
    let starting = !!executor;
    server = http.createServer((req, res) => {
      // Until the executor has learned the functions, only its sync may reach the app: anything
      // else could send an event that triggers nothing.
      if (starting && !req.url?.startsWith("/api/inngest")) {
        res.writeHead(503, { "content-type": "application/json", "retry-after": "1" }).end('{"status":"starting"}');
        return;
      }
      // The peer address is the only client address we know first-hand; proxies' headers only if trusted.
      if (!e.STEVEDORE_TRUST_PROXY) delete req.headers["x-forwarded-for"];
      req.headers["x-real-ip"] = req.socket.remoteAddress ?? "";
      void handle(req, res);
    });
    // Idle connections outlive a load balancer's (60 s on most), so the server never closes one as a
    // request goes out on it: with Node's 5 s default, clients reusing sockets saw ECONNRESET.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      server!.once("error", (err: NodeJS.ErrnoException) =>
        reject(err.code === "EADDRINUSE" ? new Error(`Port ${e.PORT} is already in use: stop what uses it or set PORT.`) : err),
      );
      server!.listen(e.PORT, e.HOST, resolve);
    });
    // Events sent before the executor knows the functions would trigger nothing: sync before "ready".
    if (executor) await syncWithRetry(executor);
    starting = false;
    say(`console ready at ${url} (launcher pid ${process.pid})`);
  } catch (err) {
    getLogger().error({ err }, "start-up failed");
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    say(`start-up failed: ${cause.split("\n")[0]}`);
    stopping = false;
    await shutdown("error", 1);
  }
}

void main();
