import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { getDocumentHistory } from "@/lib/services/collection/ui-reads";
import { orNotFound } from "@/lib/pages";
import { HistoryEvents } from "../../../_components/document-history-sheet";
import { loadCollection } from "../../load";

export const metadata = { title: "Document · Stevedore" };

/** One document: where it rests and every stage it went through. Search results link here. */
export default async function CollectionDocumentPage({ params }: { params: Promise<{ id: string; documentId: string }> }) {
  const { id, documentId } = await params;
  const { ctx, detail } = await loadCollection(id);
  const { document } = await orNotFound(getDocumentHistory({ ctx, input: { collectionId: id, documentId } }));
  return (
    <section aria-labelledby="document-heading" className="max-w-3xl">
      <div className="mb-4 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id="document-heading" className="text-lg font-semibold">
            Document
          </h2>
          <p className="break-all font-mono text-sm" data-testid="document-path">
            {document.path}
          </p>
        </div>
        <Link href={`/collections/${detail.collection.id}/documents`} className={buttonVariants({ variant: "outline", size: "sm" })}>
          All documents
        </Link>
      </div>
      <HistoryEvents collectionId={id} documentId={document.id} />
    </section>
  );
}
