import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { startScriptDefaults } from "./lib/runtime/start-defaults";

const PORT = Number(process.env.E2E_PORT ?? 3210);
/** The SMTP server e2e/alerts.spec.ts starts (smtp-server), on a port of its own per console port so parallel runs don't clash. */
export const E2E_SMTP_PORT = PORT + 20_000;
export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-123" };
export const E2E_SOURCE_ROOT = path.resolve("node_modules/next/dist/docs");
/** A second allowed root, for specs that copy real files of this machine (e.g. /usr/share/doc) into a folder of their own. */
export const E2E_COPIES_ROOT = path.resolve(".stevedore/e2e-copies");

/** Specs that launch their own consoles (launcher-support.ts), independent of the shared one. */
const OWN_CONSOLE = /(launcher|pipeline-crash|reindex-crash|backup-crash)\.spec\.ts$/;

/**
 * End-to-end against the built console started by the real launcher (`npm start`) on a fresh data
 * dir, in Debian's Chromium. `npm test` builds first; the launcher rebuilds if sources are newer.
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  // Two lanes: the specs that share the console below, one file at a time, and beside them the
  // specs that start (and kill) consoles of their own on their own ports and data dirs.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "on-first-retry",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["setup"], testIgnore: [/.*\.setup\.ts/, OWN_CONSOLE], workers: 1 },
    // After setup, though it needs nothing of it: Playwright runs its projects in phases by their
    // dependencies, and a lane in setup's phase would finish before the shared-console lane began.
    { name: "own-console", testMatch: OWN_CONSOLE, dependencies: ["setup"], workers: 1 },
  ],
  webServer: {
    command: "rm -rf .stevedore/e2e && node --import tsx scripts/start.ts",
    url: `http://127.0.0.1:${PORT}/api/health/ready`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: {
      // As `npm start` sets them: malloc and LanceDB tuning.
      ...startScriptDefaults(),
      STEVEDORE_DATA_DIR: ".stevedore/e2e",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      STEVEDORE_ADMIN_EMAIL: E2E_ADMIN.email,
      STEVEDORE_ADMIN_PASSWORD: E2E_ADMIN.password,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      // Real documents nobody here wrote: the Next.js docs shipped in node_modules, and copies a spec makes of this machine's files.
      STEVEDORE_SOURCE_ROOTS: `${E2E_SOURCE_ROOT}:${E2E_COPIES_ROOT}`,
      // The embedded executor whatever INNGEST_* the shell has: the tests exercise what `npm start` runs.
      STEVEDORE_EXECUTOR: "local",
      // Alerting: mail to the spec's SMTP server, and evaluation every 2 s (not 15 s) so the alerts spec stays short.
      STEVEDORE_SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
      STEVEDORE_ALERT_EMAIL_FROM: "alerts@e2e.test",
      STEVEDORE_ALERT_EVAL_CRON: "*/2 * * * * *",
    },
  },
});
