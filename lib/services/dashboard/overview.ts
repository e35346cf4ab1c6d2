import { errorRate, pivotSeries, shapeDurations, shapeStatusBuckets, shapeThroughput } from "@/components/charts/dashboard-data";
import type { DashboardRange } from "@/components/charts/time-range";
import type { ServiceContext } from "../context";
import { listOperations } from "../operation/list";
import { backupAges, collectionSizes, deadLettersByCollection } from "./collections";
import { durationPercentiles, ingestionThroughput, operationsByStatus } from "./operations";

/** Everything the overview draws for `range`, each chart from its own bounded query, shaped for its chart. */
export async function loadOverview({ ctx, range, now = new Date() }: { ctx: ServiceContext; range: DashboardRange; now?: Date }) {
  const input = { range };
  const [byStatus, durations, throughput, sizes, deadLetters, backups, running] = await Promise.all([
    operationsByStatus({ ctx, input, now }),
    durationPercentiles({ ctx, input, now }),
    ingestionThroughput({ ctx, input, now }),
    collectionSizes({ ctx, input, now }),
    deadLettersByCollection({ ctx }),
    backupAges({ ctx }),
    listOperations({ ctx, input: { status: "running", limit: 10 } }).then((page) => page.rows),
  ]);
  const { window } = byStatus;
  const statusBuckets = shapeStatusBuckets(window, byStatus.rows);
  return {
    window: { range: window.range, label: window.label, bucketMs: window.bucketMs, from: window.from.toISOString(), to: window.to.toISOString() },
    statusBuckets,
    errorRate: errorRate(statusBuckets),
    durations: shapeDurations(durations.rows),
    throughput: shapeThroughput(window, throughput.rows),
    sizes: pivotSeries(window, sizes.rows.map((r) => ({ bucket: r.bucket, key: r.collectionId, name: r.name, value: r.points }))),
    deadLetters,
    backups,
    running,
  };
}
