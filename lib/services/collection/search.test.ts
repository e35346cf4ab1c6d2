import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { collectionVersions } from "@/db/schema/collection-versions";
import { collections } from "@/db/schema/collections";
import { actorContext } from "@/db/test/factories";
import { reloadEnv } from "@/lib/env";
import { getLogger } from "@/lib/observability/logger";
import type { ServiceContext } from "../context";
import { searchCollection } from "./search";

const SECRET = "db-internal-7.corp:5432 password=hunter2";

/** Search failures: the caller gets a classified message and a reference, the log gets the cause under it. */
describe("searchCollection failures", () => {
  let server: http.Server;
  let dataDir: string;
  let ctx: ServiceContext;
  let status = 500;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `upstream failure at ${SECRET}` } })));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-search-"));
    Object.assign(process.env, {
      STEVEDORE_DATA_DIR: dataDir,
      STEVEDORE_EMBEDDING_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
      STEVEDORE_EMBEDDING_DIMENSION: "8",
      STEVEDORE_EMBEDDING_MAX_RETRIES: "0",
      STEVEDORE_EMBEDDING_BREAKER_FAILURES: "100",
    });
    reloadEnv();
    ctx = await actorContext("viewer");
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function collection(embeddingModel: string, dimension: number) {
    const [row] = await getDb()
      .insert(collections)
      .values({ name: `search-${randomUUID().slice(0, 8)}`, embeddingModel, dimension, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", activeVersion: 1, status: "ready" })
      .returning();
    const { embeddingModel: m, chunkSize, chunkOverlap, distance } = row!;
    await getDb().insert(collectionVersions).values({ collectionId: row!.id, version: 1, physicalName: `${row!.name}__v1`, status: "active", embeddingModel: m, dimension, distance, chunkSize, chunkOverlap });
    return row!;
  }

  async function failure(collectionId: string) {
    const warn = vi.spyOn(getLogger(), "warn");
    const err = (await searchCollection({ ctx, input: { collectionId, query: "anything" } }).catch((e: unknown) => e)) as { code: string; message: string };
    return { err, logged: warn.mock.calls.map(([obj]) => obj as { err?: Error; correlationId?: string }) };
  }

  it("an embedding service error (5xx) becomes 'not available' with a reference; its text goes to the log only", async () => {
    status = 500;
    const { id } = await collection("openai:search-leaky", 8);
    const { err, logged } = await failure(id);
    expect(err).toMatchObject({ code: "unavailable", message: `The embedding service is not available right now; try again shortly. (reference ${ctx.correlationId})` });
    expect(err.message).not.toMatch(/hunter2|db-internal|500/);
    expect(logged.some((l) => l.correlationId === ctx.correlationId && String(l.err?.message).includes("hunter2"))).toBe(true);
  });

  it("an embedding service refusal (4xx) is classified as refused, without the provider's words", async () => {
    status = 400;
    const { id } = await collection("openai:search-refusing", 8);
    const { err } = await failure(id);
    expect(err).toMatchObject({ code: "unavailable", message: expect.stringMatching(/^The embedding service refused this query\. \(reference /) });
    expect(err.message).not.toMatch(/hunter2|db-internal/);
  });

  it("a vector store error (no such table) never shows its text or the server's paths", async () => {
    const { id } = await collection("builtin-hash-16", 16);
    const { err, logged } = await failure(id);
    expect(err).toMatchObject({ code: "unavailable", message: `The vector store could not answer this search; try again shortly. (reference ${ctx.correlationId})` });
    expect(err.message).not.toContain(dataDir);
    expect(logged.some((l) => l.correlationId === ctx.correlationId && l.err instanceof Error)).toBe(true);
  });
});
