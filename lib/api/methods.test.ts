import { describe, expect, it } from "vitest";
import { apiRequest, params, setTestAuthEnv } from "@/lib/auth/test-support/session-cookie";
import { API_METHODS } from "./methods";
import { routeFiles, type RouteHandler } from "./test-support/route-files";

setTestAuthEnv();

const PUBLIC = new Set(["/api/v1/openapi.json"]);

describe("every /api/v1 route answers a method it does not serve", () => {
  it("with a JSON 405 naming what it does serve in Allow, and OPTIONS with the same Allow", async () => {
    let refused = 0;
    for (const route of routeFiles()) {
      if (route.segments.includes("path")) continue; // the catch-all answers every method with a JSON 404
      const mod = (await import(route.file)) as Partial<Record<string, RouteHandler>>;
      const segments = params(Object.fromEntries(route.segments.map((s) => [s, "x"])));
      const served: string[] = [];
      let allow: string | null = null;
      for (const method of API_METHODS) {
        const handler = mod[method];
        // A method a route file does not export is Next's empty 405: every one must be answered.
        expect(handler, `${method} ${route.url} is not exported`).toBeTypeOf("function");
        const res = await handler!(apiRequest(route.url, { method, headers: { "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" }), segments);
        if (res.status !== 405) {
          // Served: the API asks who is calling, except on what is public (the OpenAPI document).
          expect(res.status, `${method} ${route.url}`).toBe(PUBLIC.has(route.url) ? 200 : 401);
          served.push(method);
          continue;
        }
        refused++;
        expect(res.headers.get("content-type"), `${method} ${route.url}`).toMatch(/^application\/json/);
        const body = (await res.json()) as { error?: { code?: string; message?: string } };
        expect(body.error, `${method} ${route.url}`).toMatchObject({ code: "method_not_allowed", message: expect.stringContaining(`${method} is not supported on ${route.url}`) });
        allow = res.headers.get("allow");
      }
      expect(served.length, route.url).toBeGreaterThan(0);
      const expected = [...served, ...(served.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
      if (allow !== null) expect(allow, route.url).toBe(expected);
      const options = await mod.OPTIONS!(apiRequest(route.url, { method: "OPTIONS" }), segments);
      expect([options.status, options.headers.get("allow")], route.url).toEqual([204, expected]);
    }
    expect(refused).toBeGreaterThan(50);
  });
});
