import { QdrantClient } from "@qdrant/js-client-rest";
import { afterEach, describe, expect, it } from "vitest";
import { ok, startStandIn } from "./qdrant-test-server";
import { createQdrantStore } from "./qdrant-store";
import { connectionBaseUrl, qdrantConnection } from "./qdrant-url";

describe("QDRANT_URL to the client's connection", () => {
  it.each([
    ["https://q.example.com", { host: "q.example.com", https: true, port: null, prefix: "" }, "https://q.example.com"],
    ["https://q.example.com:443/", { host: "q.example.com", https: true, port: null, prefix: "" }, "https://q.example.com"],
    ["http://q.example.com", { host: "q.example.com", https: false, port: null, prefix: "" }, "http://q.example.com"],
    ["http://127.0.0.1:6333", { host: "127.0.0.1", https: false, port: 6333, prefix: "" }, "http://127.0.0.1:6333"],
    ["https://proxy.internal:8443/qdrant/", { host: "proxy.internal", https: true, port: 8443, prefix: "/qdrant" }, "https://proxy.internal:8443/qdrant"],
    ["http://[::1]:6333", { host: "[::1]", https: false, port: 6333, prefix: "" }, "http://[::1]:6333"],
  ])("%s", (url, connection, base) => {
    expect(qdrantConnection(url)).toEqual(connection);
    // The client's own URL from these fields: given `url` instead, it would add :6333 and drop the path.
    const client = new QdrantClient({ ...qdrantConnection(url), checkCompatibility: false });
    expect((client as unknown as { _restUri: string })._restUri).toBe(base);
    expect(connectionBaseUrl(qdrantConnection(url))).toBe(base);
  });

  it("shows what the client does with the same URL given as `url` (the reason for the mapping)", () => {
    const client = new QdrantClient({ url: "https://q.example.com/qdrant", checkCompatibility: false });
    expect((client as unknown as { _restUri: string })._restUri).toBe("https://q.example.com:6333");
  });

  it("refuses what it cannot honour", () => {
    expect(() => qdrantConnection("q.example.com:6333")).toThrow(/http/);
    expect(() => qdrantConnection("ftp://q.example.com")).toThrow(/http:\/\/ or https:\/\//);
    expect(() => qdrantConnection("https://user:secret@q.example.com")).toThrow(/QDRANT_API_KEY/);
    expect(() => qdrantConnection("https://q.example.com/?x=1")).toThrow(/query/);
    expect(() => qdrantConnection("not a url")).toThrow(/not a URL/);
  });
});

describe("requests through a path prefix", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it("reach the prefixed path on the URL's port, with the API key header", async () => {
    const standIn = await startStandIn(() => ok({ collections: [{ name: "docs__v1" }] }));
    close = standIn.close;
    const store = createQdrantStore({ url: `${standIn.url}/qdrant/`, apiKey: "k-123", retries: 0 });
    expect(await store.listCollections()).toEqual(["docs__v1"]);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /qdrant/collections"]);
    expect(standIn.requests[0]!.headers["api-key"]).toBe("k-123");
  });
});
