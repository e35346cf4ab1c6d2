import type { APIRequestContext } from "@playwright/test";

/**
 * 20 searches a second through `POST /api/v1/collections/:id/search`, each sent when due whether or
 * not the last one has answered (a late timer sends the ones it owes), until stopped or after 15
 * minutes, whatever happens. Every answer must be a 200 with hits. Connections are reused, as a
 * client's are (the launcher keeps idle ones 65 s: at Node's 5 s default, 1–4 in ~1,300 met ECONNRESET).
 */
export function searchLoop(request: APIRequestContext, collectionId: string, queries: string[]) {
  const result = { queries: 0, failed: [] as string[], empty: 0, seconds: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  const send = (query: string) => {
    const sent: Promise<void> = request
      .post(`/api/v1/collections/${collectionId}/search`, { data: { query, limit: 5 } })
      .then(async (res) => {
        if (res.status() !== 200) result.failed.push(`${((Date.now() - started) / 1000).toFixed(1)} s: ${res.status()} ${(await res.text()).slice(0, 200)}`);
        else if (((await res.json()).data.hits as unknown[]).length === 0) result.empty++;
      })
      .catch((err: unknown) => void result.failed.push(`${((Date.now() - started) / 1000).toFixed(1)} s: ${String(err).split("\n")[0]}`))
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  };
  const tick = setInterval(() => {
    const elapsed = Date.now() - started;
    if (elapsed > 15 * 60_000) return clearInterval(tick);
    while (result.queries < Math.floor(elapsed / 50)) send(queries[result.queries++ % queries.length]!);
  }, 25);
  return async () => {
    clearInterval(tick);
    await Promise.all([...inFlight]);
    result.seconds = (Date.now() - started) / 1000;
    return result;
  };
}
