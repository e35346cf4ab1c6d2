import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { compileErrors, validate } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import { API_METHODS } from "@/lib/api/methods";
import { ListOperationsInput } from "@/lib/services/operation/list";
import { ReindexInput } from "@/lib/services/reindex/start";
import { openApiDocument } from "./document";
import { API_ROUTES } from "./routes";

const API_DIR = path.resolve("app/api/v1");

/** `app/api/v1/collections/[id]/route.ts` → `/api/v1/collections/{id}`; the catch-all 404 is no route. */
function routeFiles(dir = API_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith("[...") ? [] : routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}
const pathOf = (file: string) => "/api/v1" + path.dirname(path.relative(API_DIR, file)).replace(/^\.$/, "").replace(/\[(\w+)\]/g, "{$1}").replace(/^(?=.)/, "/").replace(/\\/g, "/");

/** The methods a route file serves: the keys it passes to otherMethods(...), each of which it must export. */
function servedMethods(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const call = /otherMethods\(\{([^}]*)\}\)/.exec(source);
  if (!call) throw new Error(`${file} does not end with otherMethods({ … }) (lib/api/methods.ts)`);
  const served = call[1]!.split(",").map((s) => s.trim()).filter(Boolean);
  for (const m of served) {
    expect(API_METHODS as readonly string[], `${file}: ${m}`).toContain(m);
    expect(source, `${file} passes ${m} to otherMethods but does not define it`).toMatch(new RegExp(`export (const|async function) ${m}\\b`));
  }
  return served;
}

const key = (method: string, p: string) => `${method} ${p}`;

describe("the OpenAPI registry", () => {
  const served = routeFiles().flatMap((file) => servedMethods(file).map((m) => key(m, pathOf(file))));

  it("describes every method a route serves, and nothing else", () => {
    expect(served.length).toBeGreaterThan(40);
    expect(served).toContain("POST /api/v1/collections/{id}/reindex");
    const described = API_ROUTES.map((r) => key(r.method, r.path));
    expect(new Set(described).size, "one entry per method and path").toBe(described.length);
    expect([...described].sort()).toEqual([...served].sort());
  });

  it("generates a document a real OpenAPI 3.1 validator accepts", async () => {
    const result = await validate(structuredClone(openApiDocument()) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("has a validator that refuses a broken document (a path parameter left undeclared)", async () => {
    const doc = structuredClone(openApiDocument()) as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
    delete doc.paths["/api/v1/operations/{id}"]!.get!.parameters;
    const result = await validate(doc as never);
    expect(result.valid).toBe(false);
  });

  it("takes bodies from the verbs' schemas, without the fields the route fills in", () => {
    type Op = { requestBody?: { content: Record<string, { schema: { properties?: Record<string, Record<string, unknown>>; required?: string[] } }> }; parameters?: Array<{ name: string; in: string; required: boolean }>; responses: Record<string, unknown> };
    const paths = openApiDocument().paths as Record<string, Record<string, Op>>;
    const reindex = paths["/api/v1/collections/{id}/reindex"]!.post!;
    const body = reindex.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(body.properties!).sort()).toEqual(Object.keys(ReindexInput.shape).filter((k) => k !== "collectionId").sort());
    expect(body.properties!.settings).toMatchObject({ properties: { chunkSize: { type: "integer", minimum: 100, maximum: 20000 } } });
    expect(reindex.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(Object.keys(reindex.responses)).toEqual(expect.arrayContaining(["200", "202", "400", "401", "403", "404", "409"]));
    const approve = paths["/api/v1/operations/{id}/approve"]!.post!;
    expect(Object.keys(approve.requestBody!.content["application/json"]!.schema.properties!)).toEqual(["comment"]);
    const ops = paths["/api/v1/operations"]!.get!;
    expect(ops.parameters!.map((p) => p.name)).toEqual(Object.keys(ListOperationsInput.shape));
  });

  it("names the least role the permission matrix allows", () => {
    const ops = openApiDocument().paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(ops["/api/v1/collections"]!.get!["x-stevedore-role"]).toBe("viewer");
    expect(ops["/api/v1/collections/{id}/reindex"]!.post!["x-stevedore-role"]).toBe("operator");
    expect(ops["/api/v1/collections/{id}"]!.delete!["x-stevedore-role"]).toBe("admin");
    expect(ops["/api/v1/openapi.json"]!.get!.security).toEqual([]);
  });

  it("is served at /api/v1/openapi.json without authentication", async () => {
    expect(existsSync(path.join(API_DIR, "openapi.json/route.ts"))).toBe(true);
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const response = await GET();
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/collections/{id}/reindex");
  });
});
