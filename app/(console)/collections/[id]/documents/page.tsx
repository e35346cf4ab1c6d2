import { DOCUMENTS_PAGE_SIZE, EMPTY_DOCUMENT_PAGE, type DocumentPage } from "@/lib/query/collections";
import { asJson } from "@/lib/query/fetch-json";
import { listDocuments } from "@/lib/services/collection/read";
import { filterProblem, pickSearchParams, type SearchParams } from "@/lib/pages";
import { DocumentsSection } from "../../_components/documents-section";
import { loadCollection } from "../load";

export const metadata = { title: "Documents · Stevedore" };

const FILTER_KEYS = ["stage", "sourceId", "path", "after", "before"] as const;

export default async function CollectionDocumentsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const { ctx, detail } = await loadCollection(id);
  const filter = pickSearchParams(query, FILTER_KEYS);
  let documents: DocumentPage = EMPTY_DOCUMENT_PAGE;
  let filterError: string | undefined;
  try {
    documents = asJson(await listDocuments({ ctx, input: { ...filter, collectionId: id, limit: DOCUMENTS_PAGE_SIZE } }));
  } catch (err) {
    filterError = filterProblem(err);
  }
  return <DocumentsSection initialDetail={detail} filter={filter} initial={documents} filterError={filterError} />;
}
