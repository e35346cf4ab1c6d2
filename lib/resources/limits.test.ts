import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb, getSql } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { roleQuotas } from "@/db/schema/quotas";
import { sources } from "@/db/schema/sources";
import type { Role } from "@/db/schema/users";
import { auditRowsOf } from "@/db/test/audit";
import { testDatabaseUrl } from "@/db/test/database";
import { actorContext, contextFor, createTestUser } from "@/db/test/factories";
import { startLocalExecutor, type LocalExecutor } from "@/inngest/local-executor";
import { TEST_EVENT_KEY, TEST_SIGNING_KEY } from "@/inngest/local-executor/test-support/harness";
import { reloadEnv } from "@/lib/env";
import { freePort } from "@/lib/runtime/embedded-postgres";
import type { ServiceContext } from "@/lib/services/context";
import type { Limits } from "./quotas";

// Loaded once the environment points at this file's executor and folders (the Inngest client reads it).
const load = async () => ({
  ...(await import("@/lib/services/collection/create")),
  ...(await import("@/lib/services/collection/append")),
  ...(await import("@/lib/services/operation/start-self-test")),
  ...(await import("@/lib/services/reindex/start")),
  ...(await import("@/lib/embeddings")),
  ...(await import("./footprint")),
  ...(await import("./disk")),
});

let svc: Awaited<ReturnType<typeof load>>;
let executor: LocalExecutor;
let base: string;
let root: string;

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-limits-"));
  root = path.join(base, "sources");
  await fs.mkdir(root);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  delete process.env.INNGEST_DEV;
  Object.assign(process.env, { INNGEST_SIGNING_KEY: TEST_SIGNING_KEY, INNGEST_EVENT_KEY: TEST_EVENT_KEY, INNGEST_EVENT_API_BASE_URL: url, INNGEST_API_BASE_URL: url, STEVEDORE_EXECUTOR: "local", STEVEDORE_SOURCE_ROOTS: root, STEVEDORE_DATA_DIR: path.join(base, "data") });
  reloadEnv();
  // No app is synced with this executor: it takes the events and runs nothing, so every operation
  // started here stays queued, under way, for as long as a test needs it to.
  executor = await startLocalExecutor({ databaseUrl: testDatabaseUrl(), appUrl: "http://127.0.0.1:9/api/inngest", port, signingKey: TEST_SIGNING_KEY, eventKey: TEST_EVENT_KEY, syncOnStart: false, logger: pino({ level: "silent" }) });
  svc = await load();
});
afterAll(async () => {
  await executor?.stop();
  if (base) await fs.rm(base, { recursive: true, force: true });
});
beforeEach(async () => {
  await getDb().delete(roleQuotas);
});

const setQuota = (role: Role, limits: Partial<Limits>) => getDb().insert(roleQuotas).values({ role, ...limits });
const operationsOf = (ctx: ServiceContext) => getDb().select().from(operations).where(eq(operations.requestedBy, ctx.actor.id!));
const collectionNamed = async (name: string) => (await getDb().select().from(collections).where(eq(collections.name, name)))[0];

/** A source folder under the allowed root with files of the given sizes (plain text). */
async function folder(files: Record<string, number>): Promise<string> {
  const dir = path.join(root, randomUUID().slice(0, 8));
  await fs.mkdir(dir);
  for (const [name, bytes] of Object.entries(files)) await fs.writeFile(path.join(dir, name), "cargo ".repeat(Math.ceil(bytes / 6)).slice(0, bytes));
  return dir;
}

const create = (ctx: ServiceContext, name: string, dir: string) => svc.createCollection({ ctx, input: { name, source: { kind: "directory", name: "docs", path: dir } } });

describe("the role's limit on operations under way", () => {
  it("refuses one more with the limit, the role and the count, audited, and starts nothing", async () => {
    await setQuota("operator", { maxConcurrentOperations: 2 });
    const ctx = await actorContext("operator");
    await svc.startSelfTest({ ctx });
    await svc.startSelfTest({ ctx });
    const message = "Your role (operator) may have at most 2 operations under way; you have 2. Wait for one to finish, or ask an admin to raise the limit.";
    await expect(svc.startSelfTest({ ctx })).rejects.toMatchObject({ code: "conflict", message, fieldErrors: { _form: [message] } });
    expect(await operationsOf(ctx)).toHaveLength(2);
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.error])).toEqual([
      ["operation.start", "success", null],
      ["operation.start", "success", null],
      ["operation.start", "failure", message],
    ]);

    // Another role's limit is its own: admins have none here.
    const admin = await actorContext("admin");
    for (let i = 0; i < 3; i++) await svc.startSelfTest({ ctx: admin });
  });

  it("lets exactly one of three simultaneous starts through when one is allowed", async () => {
    await setQuota("operator", { maxConcurrentOperations: 1 });
    for (let round = 0; round < 4; round++) {
      const ctx = await actorContext("operator");
      const results = await Promise.allSettled([svc.startSelfTest({ ctx }), svc.startSelfTest({ ctx }), svc.startSelfTest({ ctx })]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected", "rejected"]);
      for (const r of results) {
        if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "conflict", message: expect.stringContaining("may have at most 1 operation under way; you have 1.") });
      }
      expect(await operationsOf(ctx)).toHaveLength(1);
    }
  });

  it("holds an API token to its own role, counting what its owner has under way", async () => {
    await setQuota("operator", { maxConcurrentOperations: 1 });
    const owner = await createTestUser("admin");
    await svc.startSelfTest({ ctx: contextFor(owner) });
    const token: ServiceContext = { actor: { type: "token", id: owner.id, email: owner.email, role: "operator", tokenId: randomUUID() }, ip: null, correlationId: randomUUID() };
    await expect(svc.startSelfTest({ ctx: token })).rejects.toMatchObject({ message: expect.stringMatching(/^Your role \(operator\) may have at most 1 operation under way; you have 1\./) });
  });
});

describe("the role's limit on collections", () => {
  it("refuses another collection before anything is created, before an upload's body is read too, and no longer counts one being deleted", async () => {
    await setQuota("operator", { maxCollections: 1 });
    const ctx = await actorContext("operator");
    const dir = await folder({ "a.md": 300 });
    const first = await create(ctx, `quota-${randomUUID().slice(0, 8)}`, dir);
    const message = "Your role (operator) may have at most 1 collection; you have created 1. Ask an admin to delete one or to raise the limit.";
    const second = `quota-${randomUUID().slice(0, 8)}`;
    await expect(create(ctx, second, dir)).rejects.toMatchObject({ code: "conflict", message, fieldErrors: { _form: [message] } });
    await expect(svc.authorizeCreateCollection(ctx)).rejects.toMatchObject({ code: "conflict", message });
    expect(await collectionNamed(second)).toBeUndefined();
    expect(await operationsOf(ctx)).toHaveLength(1);
    expect((await auditRowsOf(ctx.correlationId)).filter((r) => r.outcome === "failure").map((r) => [r.action, r.error])).toEqual([
      ["collection.create", message],
      ["collection.create", message],
    ]);

    await getDb().update(collections).set({ status: "deleting" }).where(eq(collections.id, first.collectionId));
    await create(ctx, second, dir);
  });
});

describe("the role's limit on points per collection", () => {
  // One 10,500-byte text file at the default 1,200/150 chunking: ceil(10,500 / (1,050 × 0.75)) + 1 = 15 points.
  const FILE = { "manual.md": 10_500 };

  it("refuses a new collection that would hold more, saying by how much; one at the limit passes", async () => {
    await setQuota("operator", { maxPointsPerCollection: 10 });
    const ctx = await actorContext("operator");
    const dir = await folder(FILE);
    const name = `quota-${randomUUID().slice(0, 8)}`;
    const message = `Your role (operator) may have at most 10 points in a collection; the new collection “${name}” would hold about 15 points, 5 over the limit. Index fewer files or choose a larger chunk size, or ask an admin to raise the limit.`;
    await expect(create(ctx, name, dir)).rejects.toMatchObject({ code: "conflict", fieldErrors: { _form: [message] } });
    expect(await collectionNamed(name)).toBeUndefined();
    expect(await operationsOf(ctx)).toHaveLength(0);

    await getDb().update(roleQuotas).set({ maxPointsPerCollection: 15 }).where(eq(roleQuotas.role, "operator"));
    const { operationId } = await create(ctx, name, dir);
    const [op] = await getDb().select().from(operations).where(eq(operations.id, operationId));
    expect(op!.params.footprint).toMatchObject({ files: 1, textBytes: 10_500, complete: true, points: 15 });
  });

  it("counts what the collection holds already when a folder is added to it", async () => {
    const [collection] = await getDb()
      .insert(collections)
      .values({ name: `quota-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 1200, chunkOverlap: 150, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const [source] = await getDb().insert(sources).values({ collectionId: collection!.id, name: "first", kind: "upload", path: path.join(base, "first") }).returning();
    // 8 points: the complete document's; dead letters and copies hold none.
    const sql = getSql();
    await sql`insert into documents (collection_id, source_id, path, stage, chunk_count) values
      (${collection!.id}, ${source!.id}, 'a.md', 'complete', 8), (${collection!.id}, ${source!.id}, 'b.md', 'dead', 5)`;
    await sql`insert into documents (collection_id, source_id, path, stage, chunk_count, duplicate_of)
      select collection_id, source_id, 'c.md', 'complete', 8, id from documents where collection_id = ${collection!.id} and path = 'a.md'`;
    await setQuota("operator", { maxPointsPerCollection: 20 });
    const ctx = await actorContext("operator");
    const dir = await folder(FILE);
    const message = `Your role (operator) may have at most 20 points in a collection; this would leave “${collection!.name}” with about 23 points (it has 8), 3 over the limit. Index fewer files, or ask an admin to raise the limit.`;
    await expect(svc.appendSource({ ctx, input: { collectionId: collection!.id, source: { kind: "directory", name: "more", path: dir } } })).rejects.toMatchObject({ code: "conflict", fieldErrors: { _form: [message] } });
    expect((await getDb().select().from(sources).where(eq(sources.collectionId, collection!.id))).map((s) => s.name)).toEqual(["first"]);
    expect(await operationsOf(ctx)).toHaveLength(0);
  });
});

describe("a reindex's dry run", () => {
  it("lists the quota refusals a start would meet in its refusals, and the start refuses them", async () => {
    await setQuota("operator", { maxConcurrentOperations: 1 });
    const ctx = await actorContext("operator");
    await svc.startSelfTest({ ctx });
    const [collection] = await getDb()
      .insert(collections)
      .values({ name: `quota-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 1200, chunkOverlap: 150, vectorBackend: "lancedb", status: "ready" })
      .returning();
    const input = { collectionId: collection!.id, settings: { chunkSize: 800 }, dryRun: true };
    const preview = await svc.previewReindex({ ctx, input });
    const message = "Your role (operator) may have at most 1 operation under way; you have 1. Wait for one to finish, or ask an admin to raise the limit.";
    expect(preview.refusals._form).toEqual(["Nothing is indexed in this collection yet: index a source first.", message]);
    await expect(svc.startReindex({ ctx, input: { ...input, dryRun: false, confirm: collection!.name } })).rejects.toMatchObject({ code: "conflict", fieldErrors: { _form: expect.arrayContaining([message]) } });
    expect(await operationsOf(ctx)).toHaveLength(1);
  });
});

describe("disk reservations", () => {
  const GiB = 1024 ** 3;
  afterAll(() => {
    delete process.env.STEVEDORE_DISK_MARGIN_BYTES;
    delete process.env.STEVEDORE_MAX_FILE_BYTES;
    reloadEnv();
  });

  it("let only one of two large operations started at once pass a free-disk check with room for one", async () => {
    process.env.STEVEDORE_MAX_FILE_BYTES = String(2 * GiB);
    reloadEnv();
    // Sparse files: a gibibyte each by their size, nothing on the disk.
    const dirs = [await folder({}), await folder({})];
    for (const dir of dirs) {
      await fs.writeFile(path.join(dir, "big.txt"), "");
      await fs.truncate(path.join(dir, "big.txt"), GiB);
    }
    const needed = svc.footprintOf({ files: 1, textBytes: GiB }, { dimension: svc.getEmbedder("builtin-hash").dimension, chunkSize: 1200, chunkOverlap: 150 }).diskBytes;
    const free = (await svc.freeDiskBytes())!;
    const margin = free - (await svc.reservedDiskBytes()) - Math.round(1.5 * needed);
    expect(margin, "this test needs free disk for 1.5 of its operations").toBeGreaterThan(0);
    process.env.STEVEDORE_DISK_MARGIN_BYTES = String(margin);
    reloadEnv();

    const actors = [await actorContext("operator"), await actorContext("operator")];
    const names = actors.map(() => `disk-${randomUUID().slice(0, 8)}`);
    const results = await Promise.allSettled(actors.map((ctx, i) => create(ctx, names[i]!, dirs[i]!)));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const passed = results.findIndex((r) => r.status === "fulfilled");
    const refused = (results[1 - passed] as PromiseRejectedResult).reason;
    expect(refused).toMatchObject({ code: "conflict", message: expect.stringMatching(/^Not enough disk: this needs about [\d.]+ GB, and [\d.]+ GB is available .* reserved by operations under way.* Short by [\d.]+ GB\.$/) });
    expect(refused.fieldErrors).toEqual({ _form: [refused.message] });

    const started = await getDb()
      .select()
      .from(operations)
      .where(inArray(operations.requestedBy, actors.map((a) => a.actor.id!)));
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ type: "INDEX", status: "queued", reservedBytes: needed });
    expect(await collectionNamed(names[1 - passed]!)).toBeUndefined();
  });
});
