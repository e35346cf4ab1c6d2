import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { DOCUMENTS_PAGE_SIZE, type DocumentPage } from "@/lib/query/collections";
import { asJson } from "@/lib/query/fetch-json";
import { getCollection, listDocuments } from "@/lib/services/collection/read";
import { CollectionView } from "../_components/collection-view";
import { filterProblem, orNotFound, pickSearchParams, type SearchParams } from "@/lib/pages";

export const metadata = { title: "Collection · Stevedore" };

const FILTER_KEYS = ["stage", "sourceId", "path", "after"] as const;

export default async function CollectionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const ctx = await pageContext();
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const detail = await orNotFound(getCollection({ ctx, input: { collectionId: id } }));
  const filter = pickSearchParams(query, FILTER_KEYS);
  let documents: DocumentPage = { documents: [], nextAfter: null, prevBefore: null, total: { count: 0, exact: true } };
  let filterError: string | undefined;
  try {
    documents = asJson(await listDocuments({ ctx, input: { ...filter, collectionId: id, limit: DOCUMENTS_PAGE_SIZE } }));
  } catch (err) {
    filterError = filterProblem(err);
  }
  return (
    <CollectionView
      initial={asJson(detail)}
      documentFilter={filter}
      initialDocuments={documents}
      filterError={filterError}
      canOperate={can(ctx.actor.role, "operation.start")}
      canDelete={can(ctx.actor.role, "collection.delete")}
    />
  );
}
