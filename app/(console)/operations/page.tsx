import { Alert, AlertDescription } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { listCollections } from "@/lib/services/collection/read";
import { listOperations, OPERATION_FILTER_KEYS, type OperationPage } from "@/lib/services/operation/list";
import { OperationFilters } from "./_components/operation-filters";
import { OperationsTable } from "./_components/operations-table";
import { filterProblem, pickSearchParams, type SearchParams } from "@/lib/pages";

export const metadata = { title: "Operations · Stevedore" };

const EMPTY: OperationPage = { rows: [], nextCursor: null, prevCursor: null, total: { value: 0, kind: "exact" } };

export default async function OperationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const params = await searchParams;
  const filter = pickSearchParams(params, OPERATION_FILTER_KEYS);
  const position = pickSearchParams(params, ["cursor", "before"] as const);
  const [listed, collections] = await Promise.all([
    listOperations({ ctx, input: { ...filter, ...position } }).then(
      (page) => ({ page, error: undefined }),
      (err: unknown) => ({ page: EMPTY, error: filterProblem(err) }),
    ),
    listCollections({ ctx }),
  ]);
  const { error } = listed;
  return (
    <>
      <PageHeader title="Operations" description="The job history: INDEX, APPEND, REINDEX, REMOVE_SOURCE, BACKUP, RESTORE, CLEAR and self-tests. Rows under way refresh live." />
      <OperationFilters values={filter} collections={collections.map((c) => ({ id: c.collection.id, name: c.collection.name }))} />
      {error && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <OperationsTable key={new URLSearchParams({ ...filter, ...position }).toString()} filter={filter} position={position} initial={asJson(listed.page)} canBulk={can(ctx.actor.role, "operation.cancel")} />
    </>
  );
}
