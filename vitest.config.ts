import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", ".stevedore/**"],
    globalSetup: ["db/test/global-setup.ts"],
    setupFiles: ["db/test/setup-env.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most suites wait on PostgreSQL, the executor and child processes rather than on a core: one
    // fork per core left a 2-core machine idle (vitest's default is cores - 1).
    poolOptions: { forks: { maxForks: 3, minForks: 1 } },
  },
});
