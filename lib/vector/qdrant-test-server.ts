import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for a Qdrant server in tests (none can run here): a real HTTP server on loopback whose
 * answers copy Qdrant's shapes: `{ result, status: "ok", time }` on success, `{ status: { error }, time }`
 * on failure (ApiResponse in lib/api/src/rest/models.rs). It is not Qdrant; each test scripts its answers.
 */
export type RecordedRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };
export type Answer = { status?: number; headers?: Record<string, string>; json?: unknown; text?: string };
export type Script = (req: RecordedRequest) => Answer;

export const ok = (result: unknown): Answer => ({ json: { result, status: "ok", time: 0.000_2 } });
export const fail = (status: number, error: string, headers?: Record<string, string>): Answer => ({ status, headers, json: { status: { error }, time: 0.000_1 } });
export const missingCollection = (name: string) => fail(404, `Not found: Collection \`${name}\` doesn't exist!`);

/** GET /collections/{name} for a single unnamed vector, with the fields the v1.19 OpenAPI schema requires. */
export function collectionInfo(size: number, distance: "Cosine" | "Dot" | "Euclid", points = 0): Answer {
  return ok({
    status: "green",
    optimizer_status: "ok",
    indexed_vectors_count: 0,
    points_count: points,
    segments_count: 2,
    config: {
      params: { vectors: { size, distance }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10_000, max_indexing_threads: 0, on_disk: false },
      optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, max_segment_size: null, memmap_threshold: null, indexing_threshold: 10_000, flush_interval_sec: 5, max_optimization_threads: null },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      quantization_config: null,
    },
    payload_schema: {},
  });
}

export async function startStandIn(script: Script): Promise<{ url: string; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(recorded);
      const answer = script(recorded);
      const body = answer.text ?? JSON.stringify(answer.json);
      const type = answer.text !== undefined ? "text/html" : "application/json";
      res.writeHead(answer.status ?? 200, { "content-type": type, ...answer.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
