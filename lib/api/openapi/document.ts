import pkg from "@/package.json";
import { buildOpenApiDocument } from "./registry";
import { API_ROUTES } from "./routes";

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

/** The document `/api/v1/openapi.json` serves; built once per process from the registry. */
export function openApiDocument() {
  cached ??= buildOpenApiDocument(API_ROUTES, { version: pkg.version });
  return cached;
}
