import { z } from "zod";
import type { ApiMethod } from "@/lib/api/methods";
import { can, type Permission, type Role } from "@/lib/auth/rbac";
import { ROLES } from "@/db/schema/users";

type JsonSchema = Record<string, unknown>;

/**
 * One /api/v1 method as the route serves it. Inputs are the verbs' own zod schemas, so the document
 * cannot say one thing while the verb parses another; `omit` drops the fields the route fills in
 * itself (path segments such as `collectionId`, a fixed `decision`).
 */
export type ApiRouteSpec = {
  method: ApiMethod;
  /** OpenAPI path template: `/api/v1/collections/{id}` for `app/api/v1/collections/[id]/route.ts`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** What the verb checks (lib/auth/rbac.ts); "public" needs no authentication, "signed-in" any role. */
  permission: Permission | "signed-in" | "public";
  query?: z.ZodType;
  body?: z.ZodType;
  /** multipart/form-data fields (files are described as binary strings). */
  multipart?: { fields: z.ZodType; files: string };
  omit?: string[];
  responses: Array<{ status: 200 | 201 | 202 | 204; description: string; schema?: z.ZodType; csv?: true; ndjson?: true }>;
  /** Error statuses beyond the ones every authenticated route can answer (401, 403, 500). */
  errors?: Array<400 | 404 | 409 | 415 | 429 | 503>;
};

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "The input was refused: `fieldErrors` names each field and what is wrong with it.",
  401: "No valid API token or session: sign in or send `Authorization: Bearer <token>`.",
  403: "The role lacks the permission, or a cookie request came from another origin.",
  404: "Not found (or not a well-formed id).",
  409: "Conflicts with the current state (another operation, a quota, the disk, a typed name that differs).",
  415: "A cookie request whose body is not JSON (or multipart for uploads).",
  429: "Too many requests.",
  500: "Internal error; `reference` is the correlation id to find it in the log.",
  503: "A dependency is unavailable.",
};

// JSON carries dates as ISO strings; the verbs coerce them back.
function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** The schema without the fields the route supplies (in every branch of a union). */
function withoutFields(schema: JsonSchema, fields: string[]): JsonSchema {
  if (!fields.length) return schema;
  const copy: JsonSchema = { ...schema };
  if (copy.properties && typeof copy.properties === "object") {
    copy.properties = Object.fromEntries(Object.entries(copy.properties as JsonSchema).filter(([k]) => !fields.includes(k)));
  }
  if (Array.isArray(copy.required)) {
    copy.required = (copy.required as string[]).filter((k) => !fields.includes(k));
    if (!(copy.required as string[]).length) delete copy.required;
  }
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    if (Array.isArray(copy[key])) copy[key] = (copy[key] as JsonSchema[]).map((s) => withoutFields(s, fields));
  }
  return copy;
}

export const pathParamsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

function queryParameters(spec: ApiRouteSpec) {
  if (!spec.query) return [];
  const schema = withoutFields(jsonSchemaOf(spec.query, "input"), spec.omit ?? []);
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: required.has(name),
    ...(typeof s.description === "string" ? { description: s.description } : {}),
    schema: s,
  }));
}

const envelope = (data: JsonSchema): JsonSchema => ({ type: "object", required: ["data"], properties: { data } });

/** The least role the permission matrix gives the permission to. */
export function leastRoleFor(permission: ApiRouteSpec["permission"]): Role | "public" {
  if (permission === "public") return "public";
  if (permission === "signed-in") return ROLES[0]!;
  const role = ROLES.find((r) => can(r, permission));
  if (!role) throw new Error(`No role has ${permission}`);
  return role;
}

function operationOf(spec: ApiRouteSpec) {
  const role = leastRoleFor(spec.permission);
  const parameters = [
    ...pathParamsOf(spec.path).map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...queryParameters(spec),
  ];
  const content: Record<string, { schema: JsonSchema }> = {};
  if (spec.body) content["application/json"] = { schema: withoutFields(jsonSchemaOf(spec.body, "input"), spec.omit ?? []) };
  if (spec.multipart) {
    const fields = withoutFields(jsonSchemaOf(spec.multipart.fields, "input"), spec.omit ?? []);
    const properties = { ...((fields.properties as JsonSchema | undefined) ?? {}), [spec.multipart.files]: { type: "array", items: { type: "string", format: "binary" } } };
    content["multipart/form-data"] = { schema: { ...fields, type: "object", properties } };
  }
  const responses: Record<string, unknown> = {};
  for (const r of spec.responses) {
    if (r.csv) responses[r.status] = { description: r.description, content: { "text/csv": { schema: { type: "string" } } } };
    else if (r.ndjson) responses[r.status] = { description: r.description, content: { "application/x-ndjson": { schema: { type: "string" } } } };
    else if (r.status === 204) responses[r.status] = { description: r.description };
    else responses[r.status] = { description: r.description, content: { "application/json": { schema: envelope(r.schema ? jsonSchemaOf(r.schema, "output") : {}) } } };
  }
  const errorStatuses = role === "public" ? (spec.errors ?? []) : [...new Set([...(spec.errors ?? []), 401, 403, ...(spec.body || spec.multipart ? [415] : []), 500])];
  for (const status of errorStatuses.sort()) {
    responses[status] = { description: ERROR_DESCRIPTIONS[status], content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } } };
  }
  const roleNote = role === "public" ? "No authentication." : `Requires the ${role} role or higher${spec.permission === "signed-in" ? "" : ` (permission \`${spec.permission}\`)`}.`;
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: [spec.description, roleNote].filter(Boolean).join("\n\n"),
    tags: [spec.tag],
    "x-stevedore-role": role,
    ...(role === "public" ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(Object.keys(content).length ? { requestBody: { required: !!spec.multipart || requiresBody(spec), content } } : {}),
    responses,
  };
}

function requiresBody(spec: ApiRouteSpec): boolean {
  if (!spec.body) return false;
  const schema = withoutFields(jsonSchemaOf(spec.body, "input"), spec.omit ?? []);
  return Array.isArray(schema.required) || Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf);
}

const ErrorEnvelope = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "unauthenticated, forbidden, invalid, not_found, conflict, rate_limited, unavailable, method_not_allowed, unsupported_media_type, internal" },
        message: { type: "string", description: "What went wrong, in words for a person; never an exception's text." },
        fieldErrors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "Per field (`_form` for the whole input)." },
        reference: { type: "string", description: "With 500: the correlation id in the server log." },
      },
    },
  },
};

/** The OpenAPI 3.1 document of the given routes. */
export function buildOpenApiDocument(routes: readonly ApiRouteSpec[], info: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operationOf(spec);
  return {
    openapi: "3.1.0",
    info: {
      title: "Stevedore API",
      version: info.version,
      description:
        "Operations on vector-search collections. Every answer is `{data}` or `{error:{code,message,fieldErrors}}`. " +
        "Authenticate with an API token (`Authorization: Bearer sv_…`, Settings → API tokens) or the console's session cookie; with the cookie, changes must come from the console's own origin.",
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "An API token (`sv_…`); it acts as its creator with its own role, at most the creator's." },
        sessionCookie: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The console's session (`__Secure-next-auth.session-token` over HTTPS)." },
      },
      schemas: { ErrorEnvelope },
    },
  };
}
