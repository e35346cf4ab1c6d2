import Link from "next/link";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { DOCUMENTS_PAGE_SIZE, type DocumentPage } from "@/lib/query/collections";
import { asJson } from "@/lib/query/fetch-json";
import { deadLetterSummary, getCollection, listDocuments } from "@/lib/services/collection/read";
import { DeadLetterFilters, DeadLetterSummary } from "../../_components/dead-letter-summary";
import { DeadLetterTable } from "../../_components/dead-letter-table";
import { filterProblem, orNotFound, pickSearchParams, type SearchParams } from "@/lib/pages";

export const metadata = { title: "Dead letters · Stevedore" };

export default async function DeadLettersPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const detail = await orNotFound(getCollection({ ctx, input: { collectionId: id } }));
  const { after, ...filter } = pickSearchParams(query, ["errorStage", "errorClass", "after"]);
  const summary = await deadLetterSummary({ ctx, input: { collectionId: id } });
  let page: DocumentPage = { documents: [], nextAfter: null, prevBefore: null, total: { count: 0, exact: true } };
  let error: string | undefined;
  try {
    page = asJson(await listDocuments({ ctx, input: { ...filter, after, stage: "dead", collectionId: id, limit: DOCUMENTS_PAGE_SIZE } }));
  } catch (err) {
    error = filterProblem(err);
  }
  const matching = summary.filter((s) => (!filter.errorStage || s.errorStage === filter.errorStage) && (!filter.errorClass || s.errorClass === filter.errorClass)).reduce((sum, s) => sum + s.n, 0);
  const base = `/collections/${id}/dead-letters`;
  const canRetry = can(ctx.actor.role, "document.retry");

  return (
    <>
      <PageHeader
        title={`Dead letters of ${detail.collection.name}`}
        description="Documents that failed every attempt, grouped by the stage and class of their last error. Fix the cause, then retry them."
        actions={
          <Link href={`/collections/${id}`} className={buttonVariants({ variant: "outline", size: "sm" })}>
            Back to the collection
          </Link>
        }
      />
      <DeadLetterSummary base={base} summary={summary} />
      {summary.length > 0 && <DeadLetterFilters base={base} summary={summary} values={filter} />}
      {error && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      {summary.length > 0 && (
        <DeadLetterTable
          key={JSON.stringify({ filter, after })}
          collectionId={id}
          documents={page.documents}
          sourceNames={Object.fromEntries(detail.sources.map(({ source }) => [source.id, source.name]))}
          filter={filter}
          matching={matching}
          canRetry={canRetry}
        />
      )}
      <nav aria-label="Dead letter pages" className="mt-4 flex gap-2">
        {after && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={`${base}?${new URLSearchParams(filter)}`}>
            First page
          </Link>
        )}
        {page.nextAfter && (
          <Link className={buttonVariants({ variant: "outline", size: "sm" })} href={`${base}?${new URLSearchParams({ ...filter, after: page.nextAfter })}`}>
            Next page
          </Link>
        )}
      </nav>
    </>
  );
}
