import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { actorContext } from "@/db/test/factories";
import { apiRequest, params, setTestAuthEnv } from "@/lib/auth/test-support/session-cookie";
import { createApiToken } from "@/lib/services/api-token/create";
import { API_ROOT, routeFiles, type RouteHandler as Handler } from "./test-support/route-files";

setTestAuthEnv();

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const BAD_QUERY = "?after=%00&cursor=garbage&limit=-1&status=bogus&from=not-a-date&stage=%00";
const BAD_BODIES = ['{"limit":-1,"query":5,"name":"\\u0000","confirmName":"\\u0000","documentIds":"x","role":"emperor"}', "{not json", "[1,2,3]", ""];
// What must never reach a client: stack frames, server paths, developers' validation wording.
const LEAK = /\bat \S+ \(|\/work\/|node_modules|Too small|Too big|expected (number|string)|Invalid input|Unexpected token/;

describe("every /api/v1 route answers bad input in the one error envelope", () => {
  let bearer: Record<string, string>;
  beforeAll(async () => {
    const { secret } = await createApiToken({ ctx: await actorContext("admin"), input: { name: "bad-input-walker" } });
    bearer = { authorization: `Bearer ${secret}` };
  });

  async function call(url: string, method: string, handler: Handler, segments: Record<string, string>, body?: string) {
    const headers: Record<string, string> = { ...bearer };
    if (body !== undefined && method !== "GET") headers["content-type"] = "application/json";
    const res = await handler(apiRequest(url, { method, headers, body: method === "GET" ? undefined : body }), params(segments));
    const text = await res.text();
    return { status: res.status, text, json: (() => { try { return JSON.parse(text) as { error?: { code?: string; message?: string; fieldErrors?: Record<string, string[]> } }; } catch { return null; } })() };
  }

  it("never answers 500, and every refusal is JSON with a code and words an operator can read", async () => {
    const routes = routeFiles();
    expect(routes.length).toBeGreaterThanOrEqual(20);
    let calls = 0;
    for (const route of routes) {
      const mod = (await import(route.file)) as Partial<Record<(typeof METHODS)[number], Handler>>;
      for (const method of METHODS) {
        const handler = mod[method];
        if (!handler) continue;
        for (const id of ["not-a-uuid\u0000", randomUUID()]) {
          const segments = Object.fromEntries(route.segments.map((s) => [s, s === "path" ? "nowhere" : id]));
          for (const body of method === "GET" ? [undefined] : BAD_BODIES) {
            const { status, text, json } = await call(route.url + BAD_QUERY, method, handler, segments, body);
            calls++;
            const where = `${method} ${route.url} id=${JSON.stringify(id)} body=${JSON.stringify(body)}`;
            expect(status, `${where}: ${text.slice(0, 300)}`).not.toBe(500);
            expect(text, where).not.toMatch(LEAK);
            if (status >= 400) {
              expect(json?.error?.code, `${where}: ${text.slice(0, 300)}`).toEqual(expect.any(String));
              expect(json?.error?.message, where).toEqual(expect.any(String));
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
  });

  it("puts each error on the field it is about", async () => {
    const id = randomUUID();
    const expectField = async (mod: string, method: "GET" | "POST" | "DELETE", url: string, field: string, segments: Record<string, string> = {}, body?: string) => {
      const handler = ((await import(path.join(API_ROOT, mod, "route.ts"))) as Record<string, Handler>)[method]!;
      const { status, json } = await call(url, method, handler, segments, body);
      expect(status, url).toBe(400);
      expect(Object.keys(json?.error?.fieldErrors ?? {}), url).toContain(field);
      expect(json?.error?.fieldErrors?.[field]?.join(" "), url).not.toMatch(LEAK);
    };
    await expectField("collections/[id]/search", "POST", `/api/v1/collections/${id}/search`, "limit", { id }, JSON.stringify({ query: "cargo", limit: -1 }));
    await expectField("collections/[id]/documents", "GET", `/api/v1/collections/${id}/documents?after=%00`, "after", { id });
    await expectField("runs", "GET", "/api/v1/runs?cursor=garbage", "cursor");
    await expectField("audit", "GET", "/api/v1/audit?cursor=garbage", "cursor");
    await expectField("collections/[id]", "DELETE", `/api/v1/collections/${id}`, "confirmName", { id });
  });

  it("answers a path no route serves with a JSON 404", async () => {
    const mod = (await import(path.join(API_ROOT, "[...path]", "route.ts"))) as Record<string, Handler>;
    const { status, json } = await call("/api/v1/no/such/thing", "GET", mod.GET!, { path: "no/such/thing" });
    expect(status).toBe(404);
    expect(json?.error).toMatchObject({ code: "not_found", message: "There is no GET /api/v1/no/such/thing in this API." });
  });
});
