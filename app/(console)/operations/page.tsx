import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { asJson } from "@/lib/query/fetch-json";
import { listOperations } from "@/lib/services/operation/list";
import { OperationFilters } from "./_components/operation-filters";
import { OperationsTable } from "./_components/operations-table";

export const metadata = { title: "Operations · Stevedore" };

export default async function OperationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext();
  const params = await searchParams;
  const filter: Record<string, string> = {};
  for (const key of ["status", "type"] as const) if (typeof params[key] === "string" && params[key]) filter[key] = params[key];
  const initial = asJson(await listOperations({ ctx, input: filter }).catch(() => []));
  return (
    <>
      <PageHeader title="Operations" description="Durable jobs: INDEX, APPEND, REINDEX, REMOVE_SOURCE, BACKUP, RESTORE, CLEAR and self-tests. Refreshes live while any runs." />
      <OperationFilters values={filter} />
      <OperationsTable filter={filter} initial={initial} />
    </>
  );
}
