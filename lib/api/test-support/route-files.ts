import fs from "node:fs";
import path from "node:path";

export const API_ROOT = path.resolve(__dirname, "../../../app/api/v1");
export type RouteHandler = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Every route file under app/api/v1 with a URL it serves and its dynamic segments. */
export function routeFiles(): Array<{ file: string; url: string; segments: string[] }> {
  const out: Array<{ file: string; url: string; segments: string[] }> = [];
  for (const rel of fs.readdirSync(API_ROOT, { recursive: true }).map(String)) {
    if (path.basename(rel) !== "route.ts") continue;
    const dir = path.dirname(rel) === "." ? "" : path.dirname(rel);
    const segments = [...dir.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]!);
    out.push({ file: path.join(API_ROOT, rel), url: `/api/v1/${dir.replace(/\[\.\.\.\w+\]/g, "nowhere/at-all").replace(/\[(\w+)\]/g, "x")}`, segments });
  }
  return out;
}
