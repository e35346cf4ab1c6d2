import { pivotSeries, shapeTimeline } from "@/components/charts/dashboard-data";
import { RangePicker } from "@/components/charts/range-picker";
import { SeriesLineChart } from "@/components/charts/series-line-chart";
import { StatusTimeline } from "@/components/charts/status-timeline";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import type { SearchParams } from "@/lib/pages";
import { checkReadiness } from "@/lib/services/health/check-ready";
import { getHealthHistory, HEALTH_HISTORY_RANGES } from "@/lib/services/health/history";
import { LiveReadiness } from "./_components/live-readiness";
import { SelfTestButton } from "./_components/self-test-button";

export const metadata = { title: "Health · Stevedore" };
export const dynamic = "force-dynamic";

export default async function HealthPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const requested = (await searchParams).range;
  const range = HEALTH_HISTORY_RANGES.find((r) => r === requested) ?? "24h";
  const [readiness, history] = await Promise.all([checkReadiness(), getHealthHistory({ ctx, input: { range } })]);
  const { window } = history;
  const timeline = shapeTimeline(window, history.statuses);
  const memory = pivotSeries(window, [
    ...history.resources.map((r) => ({ bucket: r.bucket, key: "rss", name: "resident (rss)", value: r.rssBytes })),
    ...history.resources.map((r) => ({ bucket: r.bucket, key: "heap", name: "JS heap used", value: r.heapUsedBytes })),
  ]);
  const disk = pivotSeries(window, history.disks.map((d) => ({ bucket: d.bucket, key: d.dir, name: d.dir, value: d.freeBytes })));
  const bucket = window.bucketMs >= 3_600_000 ? "hour" : `${window.bucketMs / 60_000} minutes`;
  return (
    <>
      <PageHeader title="Health" description="Readiness of every part the console depends on. Probes: GET /api/health (liveness) and GET /api/health/ready." />
      <LiveReadiness initial={readiness} />
      <Card className="mt-6">
        <CardHeader className="flex-row items-start justify-between gap-4 sm:flex-row">
          <div className="space-y-1.5">
            <CardTitle>History</CardTitle>
            <CardDescription>
              From the sampler (one sample a minute): each component&apos;s worst status per {bucket}, the memory of the process that served the sample, and free disk per data
              directory.
            </CardDescription>
          </div>
          <RangePicker ranges={HEALTH_HISTORY_RANGES} current={range} basePath="/health" />
        </CardHeader>
        <CardContent className="space-y-6">
          <StatusTimeline rows={timeline} bucketMs={window.bucketMs} />
          <div className="grid gap-6 lg:grid-cols-2">
            <div>
              <h3 className="mb-2 text-sm font-medium">Memory</h3>
              <SeriesLineChart testId="chart-memory" points={memory.points} series={memory.series} bucketMs={window.bucketMs} format="bytes" empty="No samples in this range yet." />
            </div>
            <div>
              <h3 className="mb-2 text-sm font-medium">Free disk</h3>
              <SeriesLineChart testId="chart-disk" points={disk.points} series={disk.series} bucketMs={window.bucketMs} format="bytes" empty="No samples in this range yet." />
            </div>
          </div>
        </CardContent>
      </Card>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Durable execution self-test</CardTitle>
          <CardDescription>
            Starts a background operation with several steps, a sleep and a step that fails once and is retried, then opens it so you can watch its checkpoints.
          </CardDescription>
        </CardHeader>
        <CardContent>{can(ctx.actor.role, "operation.start") ? <SelfTestButton /> : <p className="text-sm text-muted-foreground">Operators and admins can run it.</p>}</CardContent>
      </Card>
    </>
  );
}
