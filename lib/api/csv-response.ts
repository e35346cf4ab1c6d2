/** A streamed CSV download named `<name>-<UTC timestamp>.csv`. */
export function csvResponse(stream: ReadableStream<Uint8Array>, name: string): Response {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}-${stamp}.csv"` } });
}
