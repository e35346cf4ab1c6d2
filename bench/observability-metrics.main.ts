import { measureMetrics } from "./observability-metrics";

/**
 * `npx tsx bench/observability-metrics.main.ts`: the metrics half of `npm run bench -- observability`
 * on its own, one JSON line (not in bench/run.ts: bench/observability.ts combines it with the list queries).
 */
async function main() {
  const figures = await measureMetrics();
  process.stdout.write(JSON.stringify({ bench: "observability-metrics", ...figures, target_scrape_ms: 50, target_overhead_per_step_ms: 1 }) + "\n");
  process.exit(0);
}

void main();
