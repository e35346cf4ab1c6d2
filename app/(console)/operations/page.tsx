import { Alert, AlertDescription } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { asJson } from "@/lib/query/fetch-json";
import { listOperations } from "@/lib/services/operation/list";
import { OperationFilters } from "./_components/operation-filters";
import { OperationsTable } from "./_components/operations-table";
import { filterProblem, pickSearchParams, type SearchParams } from "@/lib/pages";

export const metadata = { title: "Operations · Stevedore" };

export default async function OperationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const params = await searchParams;
  const filter = pickSearchParams(params, ["status", "type"]);
  const listed = await listOperations({ ctx, input: filter }).then(
    (operations) => ({ operations, error: undefined }),
    (err: unknown) => ({ operations: [], error: filterProblem(err) }),
  );
  const initial = asJson(listed.operations);
  const { error } = listed;
  return (
    <>
      <PageHeader title="Operations" description="Durable jobs: INDEX, APPEND, REINDEX, REMOVE_SOURCE, BACKUP, RESTORE, CLEAR and self-tests. Refreshes live while any runs." />
      <OperationFilters values={filter} />
      {error && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <OperationsTable filter={filter} initial={initial} />
    </>
  );
}
