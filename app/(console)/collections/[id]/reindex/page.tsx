import Link from "next/link";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { ReindexForm } from "../../_components/reindex-form";
import { loadCollection } from "../load";

export const metadata = { title: "Reindex · Stevedore" };

/** The embedding and chunking change as a blue-green REINDEX (operators and admins); the Settings tab leads here. */
export default async function CollectionReindexPage({ params }: { params: Promise<{ id: string }> }) {
  const { detail, canOperate } = await loadCollection((await params).id);
  const { collection } = detail;
  return (
    <div className="grid max-w-6xl gap-4">
      <div>
        <h2 className="text-lg font-semibold">Reindex with new settings</h2>
        <p className="text-sm text-muted-foreground">
          Embedding and chunking are never edited in place: their points were made with them. A reindex builds a new version with the new settings and switches to it once
          it passes validation. <Link href={`/collections/${collection.id}/settings`} className="underline">Back to the settings</Link>
        </p>
      </div>
      {canOperate ? (
        <ReindexForm
          collection={{ id: collection.id, name: collection.name, embeddingModel: collection.embeddingModel, chunkSize: collection.chunkSize, chunkOverlap: collection.chunkOverlap, distance: collection.distance }}
        />
      ) : (
        <Alert>
          <AlertDescription>Only an operator or an admin can reindex a collection. You can follow a reindex on its operation page.</AlertDescription>
        </Alert>
      )}
    </div>
  );
}
