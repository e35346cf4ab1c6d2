import { Alert, AlertDescription } from "@/components/ui/alert";
import { can } from "@/lib/auth/rbac";
import { DOCUMENTS_PAGE_SIZE, EMPTY_DOCUMENT_PAGE, type DocumentPage } from "@/lib/query/collections";
import { asJson } from "@/lib/query/fetch-json";
import { isRetryable } from "@/lib/services/collection/dead-reasons";
import { deadLettersByExtension, deadLetterSummary, listDocuments } from "@/lib/services/collection/read";
import { filterProblem, pickSearchParams, type SearchParams } from "@/lib/pages";
import { DeadLetterFilters, DeadLettersByExtension, DeadLetterSummary } from "../../_components/dead-letter-summary";
import { DeadLetterTable } from "../../_components/dead-letter-table";
import { PageNav } from "../../_components/page-nav";
import { loadCollection } from "../load";

export const metadata = { title: "Dead letters · Stevedore" };

export default async function DeadLettersPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { ctx, detail } = await loadCollection(id);
  const { after, before, ...filter } = pickSearchParams(query, ["errorStage", "errorClass", "after", "before"]);
  const [summary, byExtension] = await Promise.all([deadLetterSummary({ ctx, input: { collectionId: id } }), deadLettersByExtension({ ctx, input: { collectionId: id } })]);
  let page: DocumentPage = EMPTY_DOCUMENT_PAGE;
  let error: string | undefined;
  try {
    page = asJson(await listDocuments({ ctx, input: { ...filter, after, before, stage: "dead", collectionId: id, limit: DOCUMENTS_PAGE_SIZE } }));
  } catch (err) {
    error = filterProblem(err);
  }
  // What "Retry all matching" would move: the filter's kinds that a retry can help.
  const matching = summary
    .filter((s) => (!filter.errorStage || s.errorStage === filter.errorStage) && (!filter.errorClass || s.errorClass === filter.errorClass) && isRetryable(s.errorClass, s.originalErrorClass))
    .reduce((sum, s) => sum + s.n, 0);
  const base = `/collections/${id}/dead-letters`;

  return (
    <>
      <p className="mb-4 text-sm text-muted-foreground">Documents that failed for good, by the reason of their last error. Some reasons a retry can help; the others need the file fixed first.</p>
      <DeadLetterSummary base={base} summary={summary} />
      <DeadLettersByExtension rows={byExtension} />
      {summary.length > 0 && <DeadLetterFilters base={base} summary={summary} values={filter} />}
      {error && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      {summary.length > 0 && (
        <>
          <DeadLetterTable
            key={JSON.stringify({ filter, after, before })}
            collectionId={id}
            documents={page.documents}
            sourceNames={Object.fromEntries(detail.sources.map(({ source }) => [source.id, source.name]))}
            filter={filter}
            matching={matching}
            canRetry={can(ctx.actor.role, "document.retry")}
          />
          <PageNav label="Dead letter pages" base={base} filter={filter} page={page} noun={["dead letter", "dead letters"]} />
        </>
      )}
    </>
  );
}
