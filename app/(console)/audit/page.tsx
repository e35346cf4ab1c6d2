import Link from "next/link";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { AuditAction } from "@/lib/services/audit/actions";
import { listAuditEntries, type AuditRow } from "@/lib/services/audit/list";
import { AuditFilters } from "./_components/audit-filters";
import { AuditTable } from "./_components/audit-table";
import { filterProblem, pickSearchParams, type SearchParams } from "@/lib/pages";

export const metadata = { title: "Audit · Stevedore" };

const FILTER_KEYS = ["actor", "action", "targetType", "targetId", "outcome", "from", "to"] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const params = await searchParams;
  const filter = pickSearchParams(params, FILTER_KEYS);
  const cursor = typeof params.cursor === "string" ? params.cursor : undefined;

  let page: { rows: AuditRow[]; nextCursor: string | null } = { rows: [], nextCursor: null };
  let error: string | undefined;
  try {
    page = await listAuditEntries({ ctx, input: { ...filter, cursor, limit: 50 } });
  } catch (err) {
    error = filterProblem(err);
  }
  const query = new URLSearchParams(filter);
  const nextHref = page.nextCursor ? `/audit?${new URLSearchParams({ ...filter, cursor: page.nextCursor })}` : null;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, sign-in and refused attempt: who, what, on which target, with what outcome."
        actions={
          <a className={buttonVariants({ variant: "outline" })} href={`/api/v1/audit/export?${query}`} download>
            Export CSV
          </a>
        }
      />
      <AuditFilters values={filter} actions={AuditAction.options} />
      {error && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <AuditTable rows={page.rows.map((row) => ({ ...row, cursor: undefined, at: row.at.toISOString() }))} />
      <nav aria-label="Pages" className="mt-4 flex gap-2">
        {cursor && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={`/audit?${query}`}>
            Newest
          </Link>
        )}
        {nextHref && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={nextHref}>
            Older
          </Link>
        )}
      </nav>
    </>
  );
}
