import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";

/**
 * The e2e console's embedded PostgreSQL (STEVEDORE_DATA_DIR=.stevedore/e2e in playwright.config), for
 * states the pipeline only reaches slowly (a document that failed every attempt). Port from postmaster.pid.
 */
export function e2eDatabase() {
  const dir = path.resolve(".stevedore/e2e");
  const port = Number(fs.readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[3]);
  const password = fs.readFileSync(path.join(dir, "postgres.password"), "utf8").trim();
  return postgres({ host: "127.0.0.1", port, user: "postgres", password, database: "postgres", max: 1, onnotice: () => {} });
}
