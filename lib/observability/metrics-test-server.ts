import http from "node:http";
import type { AddressInfo } from "node:net";
import { env } from "@/lib/env";

export type RouteServer = { url: string; close: () => Promise<void> };

type Handler = (request: Request, route: { params: Promise<never> }) => Promise<Response>;

/**
 * A route file's handlers on a loopback port, behind what the launcher does to every request (scripts/start.ts):
 * x-forwarded-for dropped unless STEVEDORE_TRUST_PROXY, x-real-ip set to the socket's address. For tests.
 */
export async function serveRoute(handlers: Partial<Record<string, Handler | unknown>>): Promise<RouteServer> {
  const server = http.createServer(async (req, res) => {
    if (!env().STEVEDORE_TRUST_PROXY) delete req.headers["x-forwarded-for"];
    req.headers["x-real-ip"] = req.socket.remoteAddress ?? "";
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const handler = handlers[req.method ?? "GET"];
    if (typeof handler !== "function") return void res.writeHead(405).end();
    const response = await (handler as Handler)(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers }), { params: Promise.resolve() as Promise<never> });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One sample's value from a Prometheus text exposition (labels in any order), or undefined when absent. */
export function sampleValue(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && Object.keys(found).length === Object.keys(labels).length) return Number(m[3]);
  }
  return undefined;
}
