import { VectorStoreError } from "./validate";

/** What QdrantClient takes instead of `url`: host, scheme, port (null: the scheme's default) and path prefix. */
export type QdrantConnection = { host: string; https: boolean; port: number | null; prefix: string };

/**
 * QDRANT_URL taken literally. Given `url`, the client replaces a missing or default port (443 parses
 * as none) with 6333 and drops the path (qdrant/qdrant-js#94, #59), so a proxy at
 * https://q.example.com/qdrant is never reached; passing these fields with `port: null` avoids that.
 */
export function qdrantConnection(url: string): QdrantConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new VectorStoreError(`QDRANT_URL ${JSON.stringify(url)} is not a URL (for example http://127.0.0.1:6333)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new VectorStoreError(`QDRANT_URL must start with http:// or https://, not ${parsed.protocol}`);
  }
  // Credentials would be silently dropped (the key goes in QDRANT_API_KEY); a query or fragment has no meaning here.
  if (parsed.username || parsed.password) throw new VectorStoreError("QDRANT_URL must not carry credentials: set QDRANT_API_KEY");
  if (parsed.search || parsed.hash) throw new VectorStoreError("QDRANT_URL must not have a query or fragment");
  const prefix = parsed.pathname.replace(/\/+$/, "");
  return { host: parsed.hostname, https: parsed.protocol === "https:", port: parsed.port ? Number(parsed.port) : null, prefix };
}

/** The base URL the client builds from a connection (as qdrant-client.ts does), for logs and tests. */
export function connectionBaseUrl(c: QdrantConnection): string {
  return `${c.https ? "https" : "http"}://${c.host}${c.port ? `:${c.port}` : ""}${c.prefix}`;
}
