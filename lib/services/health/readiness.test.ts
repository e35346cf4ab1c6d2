import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorContext } from "@/db/test/factories";
import { reloadEnv } from "@/lib/env";
import { freePort } from "@/lib/runtime/embedded-postgres";

const SECRET = "db-internal-7.corp:5432 password=hunter2";

/** An embedding service whose error answers carry internal detail, as real ones sometimes do. */
async function leakyUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `upstream failure at ${SECRET}` } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise((r) => server.close(() => r())) };
}

/** GET /api/health/ready: anyone may see each component's state; only a signed-in caller sees upstream detail. */
describe("readiness endpoint", () => {
  let upstream: Awaited<ReturnType<typeof leakyUpstream>>;
  let GET: typeof import("@/app/api/health/ready/route").GET;

  beforeAll(async () => {
    upstream = await leakyUpstream();
    Object.assign(process.env, {
      STEVEDORE_DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-ready-")),
      STEVEDORE_EMBEDDING_URL: upstream.url,
      STEVEDORE_EMBEDDING_DIMENSION: "8",
      STEVEDORE_EMBEDDING_MAX_RETRIES: "0",
      STEVEDORE_EMBEDDING_BREAKER_FAILURES: "1",
      STEVEDORE_EMBEDDING_BREAKER_RESET_MS: "600000",
      // Nothing listens there: the executor check fails with the fetch error's own text.
      STEVEDORE_LOCAL_EXECUTOR_URL: `http://127.0.0.1:${await freePort()}`,
    });
    reloadEnv();
    const { getEmbedder } = await import("@/lib/embeddings");
    await expect(getEmbedder("openai:leaky").embed(["hello"])).rejects.toThrow(/hunter2/); // the breaker now holds the upstream text
    ({ GET } = await import("@/app/api/health/ready/route"));
  });
  afterAll(() => upstream?.close());

  type Body = { status: string; checks: { name: string; status: string; message?: string; detail?: string }[] };

  it("answers a probe without credentials with states only, never the upstream's words", async () => {
    const res = await GET(new Request("http://console/api/health/ready"));
    const text = await res.text();
    const body = JSON.parse(text) as Body;
    expect(res.status).toBe(503); // the executor is unreachable
    expect(body.checks.find((c) => c.name === "embedder openai:leaky")).toMatchObject({ status: "degraded", message: expect.stringContaining("circuit breaker open") });
    expect(body.checks.find((c) => c.name === "executor")).toMatchObject({ status: "unhealthy", message: "unreachable" });
    expect(text).not.toMatch(/hunter2|db-internal|last error|fetch failed|ECONNREFUSED/);
    expect(body.checks.every((c) => c.detail === undefined)).toBe(true);
  });

  it("treats an invalid token like no credentials", async () => {
    const text = await (await GET(new Request("http://console/api/health/ready", { headers: { authorization: "Bearer sv_not-a-token" } }))).text();
    expect(text).not.toMatch(/hunter2|last error/);
  });

  it("shows a signed-in caller (API token) the detail", async () => {
    const { createApiToken } = await import("@/lib/services/api-token/create");
    const token = await createApiToken({ ctx: await actorContext("admin"), input: { name: "readiness-detail" } });
    const res = await GET(new Request("http://console/api/health/ready", { headers: { authorization: `Bearer ${token.secret}` } }));
    const body = (await res.json()) as Body;
    expect(body.checks.find((c) => c.name === "embedder openai:leaky")?.detail).toContain("hunter2");
    expect(body.checks.find((c) => c.name === "executor")?.detail).toBeTruthy();
  });
});
