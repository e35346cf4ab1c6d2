import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { serveRoute, type RouteServer } from "./metrics-test-server";

const TOKEN = "scrape-token-0123456789abcdef";

/** /api/metrics behind what the launcher does to a request: the peer address is the socket's, proxies' headers dropped. */
describe("/api/metrics access", () => {
  let server: RouteServer;
  let route: typeof import("@/app/api/metrics/route");

  const configure = (vars: { STEVEDORE_METRICS_TOKEN?: string; STEVEDORE_METRICS_ALLOW?: string }) => {
    delete process.env.STEVEDORE_METRICS_TOKEN;
    delete process.env.STEVEDORE_METRICS_ALLOW;
    Object.assign(process.env, vars);
    reloadEnv();
  };
  const scrape = (headers: Record<string, string> = {}) => fetch(server.url, { headers });

  beforeAll(async () => {
    route = await import("@/app/api/metrics/route");
    server = await serveRoute(route);
  });

  afterAll(async () => {
    configure({});
    await server?.close();
  });

  it("serves loopback by default, in Prometheus text format", async () => {
    configure({});
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const body = await res.text();
    expect(body).toContain("# TYPE stevedore_operations_total counter");
    expect(body).toContain("# TYPE stevedore_collection_points gauge");
    expect(body).toContain("process_cpu_seconds_total");
  });

  it("refuses an address off the allow-list with 403, whatever address headers the client sends", async () => {
    configure({ STEVEDORE_METRICS_ALLOW: "10.0.0.0/8,fd00::/8" });
    for (const headers of [{}, { "x-forwarded-for": "10.1.2.3" }, { "x-real-ip": "10.1.2.3" }] as Array<Record<string, string>>) {
      const res = await scrape(headers);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: "forbidden", message: expect.stringContaining("STEVEDORE_METRICS_ALLOW") } });
    }
  });

  it("takes the forwarded address only when the proxy is trusted", async () => {
    configure({ STEVEDORE_METRICS_ALLOW: "10.0.0.0/8" });
    process.env.STEVEDORE_TRUST_PROXY = "1";
    reloadEnv();
    try {
      expect((await scrape({ "x-forwarded-for": "10.1.2.3, 127.0.0.1" })).status).toBe(200);
      expect((await scrape({ "x-forwarded-for": "192.168.1.9" })).status).toBe(403);
    } finally {
      delete process.env.STEVEDORE_TRUST_PROXY;
      reloadEnv();
    }
  });

  it("with a token and no allowed address: no token or a wrong one is 401, the right one passes", async () => {
    configure({ STEVEDORE_METRICS_TOKEN: TOKEN, STEVEDORE_METRICS_ALLOW: "none" });
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect((await none.json()).error.code).toBe("unauthenticated");
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, TOKEN, "Bearer "]) {
      const res = await scrape({ authorization });
      expect(res.status, authorization).toBe(401);
      expect((await res.json()).error).toEqual({ code: "unauthenticated", message: "The metrics token is not valid." });
    }
    const ok = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("stevedore_operations_total");
  });

  it("a wrong token is refused even from an allowed address; no token there still passes", async () => {
    configure({ STEVEDORE_METRICS_TOKEN: TOKEN });
    expect((await scrape({ authorization: "Bearer not-the-token-at-all" })).status).toBe(401);
    expect((await scrape()).status).toBe(200);
  });

  it("refuses an Authorization header when no token is configured, even from loopback", async () => {
    configure({});
    expect((await scrape({ authorization: `Bearer ${TOKEN}` })).status).toBe(401);
  });

  it("answers other methods with 405 in the API's envelope", async () => {
    configure({});
    const res = await fetch(server.url, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await res.json()).error.code).toBe("method_not_allowed");
  });

  it("refuses a malformed allow-list or a short token at start-up", () => {
    for (const vars of [{ STEVEDORE_METRICS_ALLOW: "10.0.0.0/33" }, { STEVEDORE_METRICS_ALLOW: "localhost" }, { STEVEDORE_METRICS_ALLOW: "10.0.0.1/8/2" }, { STEVEDORE_METRICS_TOKEN: "short" }]) {
      expect(() => configure(vars), JSON.stringify(vars)).toThrow(/Invalid environment/);
    }
    configure({ STEVEDORE_METRICS_ALLOW: " 10.0.0.1 , ::1, 192.168.0.0/16 " });
  });
});
