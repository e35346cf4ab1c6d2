import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";

/**
 * Each test file gets a database of its own, cloned from the migrated template: files run in
 * parallel, and one file's executor must never claim another file's runs from a shared queue.
 * lib/env reads process.env lazily, so setting it here, before any test imports the client, is enough.
 */
const template = new URL(inject("templateDatabaseUrl"));
const templateName = template.pathname.slice(1);
const own = new URL(template);
own.pathname = `/${templateName}_${randomBytes(4).toString("hex")}`;
const maintenance = new URL(template);
maintenance.pathname = "/postgres";
const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => undefined });
for (let attempt = 0; ; attempt++) {
  try {
    // Two files cloning at once can find the template busy for a moment.
    await admin.unsafe(`create database "${own.pathname.slice(1)}" template "${templateName}"`);
    break;
  } catch (err) {
    if (attempt >= 20) throw err;
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
  }
}
await admin.end({ timeout: 5 });

process.env.DATABASE_URL = own.toString();
process.env.LOG_LEVEL ??= "silent";
