import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { operationLogs, operations } from "@/db/schema/operations";
import { actorContext } from "@/db/test/factories";
import { apiRequest, params, setTestAuthEnv } from "@/lib/auth/test-support/session-cookie";
import { createApiToken } from "@/lib/services/api-token/create";
import * as logsRoute from "@/app/api/v1/operations/[id]/logs/route";
import * as exportRoute from "@/app/api/v1/operations/[id]/logs/export/route";
import type { ServiceContext } from "../context";
import { exportOperationLogs, listOperationLogs } from "./logs";

setTestAuthEnv();

type Level = "debug" | "info" | "warn" | "error";
const LEVELS: Level[] = ["debug", "info", "warn", "error"];

/** An operation with `n` lines: line i has level LEVELS[i % 4] and message "line i". */
async function operationWithLines(n: number, extra: Array<{ level: Level; message: string; fields?: Record<string, unknown> }> = []) {
  const [op] = await getDb().insert(operations).values({ type: "SELF_TEST", correlationId: randomUUID() }).returning();
  const rows = [...Array.from({ length: n }, (_, i) => ({ level: LEVELS[i % 4]!, message: `line ${i}` })), ...extra].map((r) => ({ operationId: op!.id, ...r }));
  if (rows.length) await getDb().insert(operationLogs).values(rows);
  return op!.id;
}

describe("the operation log", () => {
  let viewer: ServiceContext;
  beforeAll(async () => {
    viewer = await actorContext("viewer");
  });
  const list = (input: Record<string, unknown>) => listOperationLogs({ ctx: viewer, input });
  const messages = (page: { lines: { message: string }[] }) => page.lines.map((l) => l.message);

  it("a viewer reads the newest lines, oldest first, and pages older and newer on the line id", async () => {
    const operationId = await operationWithLines(12);
    const newest = await list({ operationId, limit: 5 });
    expect(messages(newest)).toEqual(["line 7", "line 8", "line 9", "line 10", "line 11"]);
    expect(newest.more).toBe(true);
    const older = await list({ operationId, limit: 5, before: newest.lines[0]!.id });
    expect(messages(older)).toEqual(["line 2", "line 3", "line 4", "line 5", "line 6"]);
    const oldest = await list({ operationId, limit: 5, before: older.lines[0]!.id });
    expect(messages(oldest)).toEqual(["line 0", "line 1"]);
    expect(oldest.more).toBe(false);
    const tail = await list({ operationId, limit: 3, after: oldest.lines[1]!.id });
    expect(messages(tail)).toEqual(["line 2", "line 3", "line 4"]);
    expect(tail.more).toBe(true);
    const end = await list({ operationId, after: newest.lines[4]!.id });
    expect(end).toEqual({ lines: [], more: false });
  });

  it("filters by the lowest level and by text in the message or fields, with LIKE wildcards taken literally", async () => {
    const operationId = await operationWithLines(8, [
      { level: "info", message: "100% done_ok" },
      { level: "info", message: "100 files done" },
      { level: "warn", message: "retrying", fields: { errClass: "EmbedderError" } },
    ]);
    expect(messages(await list({ operationId, level: "warn" }))).toEqual(["line 2", "line 3", "line 6", "line 7", "retrying"]);
    expect(messages(await list({ operationId, level: "error" }))).toEqual(["line 3", "line 7"]);
    expect(messages(await list({ operationId, q: "100%" }))).toEqual(["100% done_ok"]);
    expect(messages(await list({ operationId, q: "e_o" }))).toEqual(["100% done_ok"]);
    expect(messages(await list({ operationId, q: "embeddererror" }))).toEqual(["retrying"]);
    expect(messages(await list({ operationId, q: "LINE 1", level: "info" }))).toEqual(["line 1"]);
  });

  it("refuses an unknown operation (404), a page over 500 lines and both cursors at once (400)", async () => {
    const operationId = await operationWithLines(1);
    await expect(list({ operationId: randomUUID() })).rejects.toMatchObject({ code: "not_found" });
    await expect(list({ operationId: "nope" })).rejects.toMatchObject({ code: "not_found" });
    await expect(list({ operationId, limit: 501 })).rejects.toMatchObject({ code: "invalid" });
    await expect(list({ operationId, before: 5, after: 1 })).rejects.toMatchObject({ code: "invalid" });
    await expect(list({ operationId, level: "loud" })).rejects.toMatchObject({ code: "invalid" });
  });

  it("exports the whole filtered log as NDJSON, past one batch", async () => {
    const operationId = await operationWithLines(2500);
    const stream = await exportOperationLogs({ ctx: viewer, input: { operationId, level: "error" } });
    const lines = (await new Response(stream).text()).trimEnd().split("\n").map((l) => JSON.parse(l) as { id: number; level: string; message: string });
    expect(lines).toHaveLength(625);
    expect(lines.every((l) => l.level === "error")).toBe(true);
    expect(lines[0]!.message).toBe("line 3");
    expect(lines.at(-1)!.message).toBe("line 2499");
    expect(lines.map((l) => l.id)).toEqual([...lines.map((l) => l.id)].sort((a, b) => a - b));
  });

  describe("the routes", () => {
    let bearer: Record<string, string>;
    beforeAll(async () => {
      const { secret } = await createApiToken({ ctx: await actorContext("admin"), input: { name: "logs-reader", role: "viewer" } });
      bearer = { authorization: `Bearer ${secret}` };
    });

    it("GET /logs pages with the query's filter and cursor; unknown ids are 404; bad input 400", async () => {
      const operationId = await operationWithLines(10);
      const res = await logsRoute.GET(apiRequest(`/api/v1/operations/${operationId}/logs?level=warn&limit=2`, { headers: bearer }), params({ id: operationId }));
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { lines: { message: string }[]; more: boolean } };
      expect(body.data).toMatchObject({ lines: [{ message: "line 6" }, { message: "line 7" }], more: true });
      const missing = await logsRoute.GET(apiRequest(`/api/v1/operations/${randomUUID()}/logs`, { headers: bearer }), params({ id: randomUUID() }));
      expect(missing.status).toBe(404);
      const bad = await logsRoute.GET(apiRequest(`/api/v1/operations/${operationId}/logs?limit=9999`, { headers: bearer }), params({ id: operationId }));
      expect(bad.status).toBe(400);
      const unauthenticated = await logsRoute.GET(apiRequest(`/api/v1/operations/${operationId}/logs`), params({ id: operationId }));
      expect(unauthenticated.status).toBe(401);
    });

    it("GET /logs/export streams NDJSON as a download", async () => {
      const operationId = await operationWithLines(6);
      const res = await exportRoute.GET(apiRequest(`/api/v1/operations/${operationId}/logs/export?q=line%205`, { headers: bearer }), params({ id: operationId }));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
      expect(res.headers.get("content-disposition")).toMatch(new RegExp(`attachment; filename="operation-${operationId}-log-.*\\.ndjson"`));
      expect((await res.text()).trimEnd().split("\n").map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(["line 5"]);
    });
  });
});
