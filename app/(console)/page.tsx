import Link from "next/link";
import { DurationChart } from "@/components/charts/duration-chart";
import { ErrorRateChart } from "@/components/charts/error-rate-chart";
import { RangePicker } from "@/components/charts/range-picker";
import { RunningOperations } from "@/components/charts/running-operations";
import { SeriesLineChart } from "@/components/charts/series-line-chart";
import { StatusBarsChart } from "@/components/charts/status-bars-chart";
import { DASHBOARD_RANGES, parseRange } from "@/components/charts/time-range";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import type { SearchParams } from "@/lib/pages";
import { asJson } from "@/lib/query/fetch-json";
import { loadOverview } from "@/lib/services/dashboard/overview";
import { checkReadiness } from "@/lib/services/health/check-ready";
import { BackupAges, DeadLetters } from "@/components/charts/overview-lists";
import { StatusBadge } from "./health/status-badge";

export const metadata = { title: "Overview · Stevedore" };
export const dynamic = "force-dynamic";

function ChartCard({ title, description, children, className }: { title: string; description: string; children: React.ReactNode; className?: string }) {
  return (
    <Card className={className}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const range = parseRange((await searchParams).range);
  const [readiness, overview] = await Promise.all([checkReadiness(), loadOverview({ ctx, range })]);
  const { window } = overview;
  const minutes = window.bucketMs / 60_000;
  const bucket = minutes >= 1440 ? "day" : minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`;
  return (
    <>
      <PageHeader
        title="Overview"
        description={`The last ${window.label}, in buckets of ${bucket} (UTC). Click a bar to open those operations.`}
        actions={
          <>
            <Link href="/health" className="flex items-center gap-2 text-sm" title={`Checked ${readiness.checkedAt}`}>
              Health <StatusBadge status={readiness.status} />
            </Link>
            <RangePicker ranges={DASHBOARD_RANGES} current={range} basePath="/" />
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard title="Operations by status" description={`Operations started per ${bucket}, by their status now.`} className="lg:col-span-2">
          <StatusBarsChart points={overview.statusBuckets} bucketMs={window.bucketMs} />
        </ChartCard>
        <ChartCard title="Duration by type" description="p50 and p95 of the operations that finished in the range.">
          <DurationChart bars={overview.durations} from={window.from} to={window.to} />
        </ChartCard>
        <ChartCard title="Error rate" description={`Failed among the operations finished per ${bucket}.`}>
          <ErrorRateChart points={overview.errorRate} bucketMs={window.bucketMs} />
        </ChartCard>
        <ChartCard title="Ingestion throughput" description="Chunks stored per minute by INDEX, APPEND, REINDEX and RESTORE, by when they finished.">
          <SeriesLineChart
            testId="chart-throughput"
            points={overview.throughput}
            series={[{ key: "chunksPerMin", name: "chunks/min", color: "var(--primary)" }]}
            bucketMs={window.bucketMs}
            empty="No ingestion finished in this range."
          />
        </ChartCard>
        <ChartCard title="Collection sizes" description="Points in each collection's live version (the largest eight), from the health samples.">
          <SeriesLineChart
            testId="chart-collection-sizes"
            points={overview.sizes.points}
            series={overview.sizes.series}
            bucketMs={window.bucketMs}
            empty="No health samples in this range yet: the sampler records the sizes once a minute while the console runs."
          />
        </ChartCard>
        <ChartCard title="Running now" description="Live progress, refreshed every 2 s.">
          <RunningOperations initial={asJson(overview.running)} />
        </ChartCard>
        <ChartCard title="Dead letters" description="Documents parked as dead letters now, per collection.">
          <DeadLetters rows={overview.deadLetters} />
        </ChartCard>
        <ChartCard title="Backups' age" description="Each collection's latest complete backup; never backed up first.">
          <BackupAges rows={overview.backups} />
        </ChartCard>
      </div>
    </>
  );
}
