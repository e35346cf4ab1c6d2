import { Alert, AlertDescription } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { usesLocalExecutor } from "@/lib/env";
import { asJson } from "@/lib/query/fetch-json";
import type { RunPage } from "@/lib/query/runs";
import { listExecutorRuns } from "@/lib/services/run/list";
import { RunsTable } from "./_components/runs-table";
import { filterProblem, pickSearchParams, type SearchParams } from "@/lib/pages";

export const metadata = { title: "Runs · Stevedore" };

const FILTER_KEYS = ["status", "functionId", "operationId", "from", "to", "cursor"] as const;

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const params = await searchParams;
  const filter = pickSearchParams(params, FILTER_KEYS);
  let initial: RunPage = { runs: [], nextCursor: null };
  let error: string | undefined;
  try {
    initial = asJson(await listExecutorRuns({ ctx, input: filter }));
  } catch (err) {
    error = filterProblem(err);
  }
  return (
    <>
      <PageHeader title="Runs" description="Every execution of a background function, newest first. Refreshes live while any is running." />
      {!usesLocalExecutor() && (
        <Alert className="mb-4">
          <AlertDescription>An external Inngest server runs the functions: its dashboard has the authoritative run history. This page lists what the local executor recorded.</AlertDescription>
        </Alert>
      )}
      {error && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <RunsTable filter={filter} initial={initial} />
    </>
  );
}
