import Link from "next/link";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { AuditAction } from "@/lib/services/audit/actions";
import type { AuditTotal } from "@/lib/services/audit/count";
import { listAuditEntries, type AuditPage } from "@/lib/services/audit/list";
import { AuditFilters } from "./_components/audit-filters";
import { AuditTable } from "./_components/audit-table";
import { filterProblem, pickSearchParams, type SearchParams } from "@/lib/pages";

export const metadata = { title: "Audit · Stevedore" };

const FILTER_KEYS = ["actor", "action", "targetType", "targetId", "outcome", "from", "to"] as const;

/** Exact when counted; the planner's estimate or a lower bound when the log is too large to count on every view. */
function totalText(total: AuditTotal): string {
  const n = total.value.toLocaleString("en-US");
  if (total.kind === "at_least") return `More than ${n} entries match`;
  if (total.kind === "estimate") return `About ${n} entries (estimated)`;
  return `${n} ${total.value === 1 ? "entry matches" : "entries match"}`;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const params = await searchParams;
  const filter = pickSearchParams(params, FILTER_KEYS);
  const cursor = typeof params.cursor === "string" ? params.cursor : undefined;
  const before = typeof params.before === "string" ? params.before : undefined;

  let page: AuditPage = { rows: [], nextCursor: null, prevCursor: null, total: { value: 0, kind: "exact" } };
  let error: string | undefined;
  try {
    page = await listAuditEntries({ ctx, input: { ...filter, cursor, before, limit: 50 } });
  } catch (err) {
    error = filterProblem(err);
  }
  const query = new URLSearchParams(filter);
  // Every page link keeps the filter: paging never widens what is shown.
  const nextHref = page.nextCursor ? `/audit?${new URLSearchParams({ ...filter, cursor: page.nextCursor })}` : null;
  const prevHref = page.prevCursor ? `/audit?${new URLSearchParams({ ...filter, before: page.prevCursor })}` : null;

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
      <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center gap-2">
        {(cursor || before) && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={`/audit?${query}`}>
            Newest
          </Link>
        )}
        {prevHref && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={prevHref} rel="prev">
            Previous
          </Link>
        )}
        {nextHref && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={nextHref} rel="next">
            Next
          </Link>
        )}
        {!error && (
          <p className="ml-auto text-sm text-muted-foreground" data-testid="audit-total">
            {totalText(page.total)}
          </p>
        )}
      </nav>
    </>
  );
}
