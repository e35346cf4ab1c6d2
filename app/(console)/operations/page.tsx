import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { asJson } from "@/lib/query/fetch-json";
import { listOperations } from "@/lib/services/operation/list";
import { OperationsTable } from "./_components/operations-table";

export const metadata = { title: "Operations · Stevedore" };

export default async function OperationsPage() {
  const ctx = await pageContext();
  const initial = asJson(await listOperations({ ctx, input: {} }));
  return (
    <>
      <PageHeader title="Operations" description="Durable jobs: INDEX, APPEND, REINDEX, REMOVE_SOURCE, BACKUP, RESTORE, CLEAR and self-tests. Refreshes live while any runs." />
      <OperationsTable initial={initial} />
    </>
  );
}
