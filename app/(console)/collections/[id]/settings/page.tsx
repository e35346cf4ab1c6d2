import Link from "next/link";
import type { ReactNode } from "react";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatCount, formatUtc } from "@/lib/format";
import { LiveDeleteButton } from "../../_components/live-collection";
import { loadCollection } from "../load";
import { VectorLayoutCard } from "./vector-layout-card";

export const metadata = { title: "Collection settings · Stevedore" };

function Setting({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="break-all">{children}</dd>
    </>
  );
}

/** What the live version is made with (changing it is a reindex, never an in-place edit), and deleting the collection. */
export default async function CollectionSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { detail, canDelete, canOperate } = await loadCollection((await params).id);
  const { collection } = detail;
  return (
    <div className="grid max-w-3xl gap-4">
      <Card>
        <CardHeader className="flex-row items-center justify-between">
          <CardTitle as="h2">Settings</CardTitle>
          {canOperate && (
            <Link href={`/collections/${collection.id}/reindex`} className={buttonVariants({ variant: "outline", size: "sm" })}>
              Reindex…
            </Link>
          )}
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[12rem_1fr] gap-x-4 gap-y-1 text-sm">
            <Setting label="Name">{collection.name}</Setting>
            <Setting label="Description">{collection.description || "—"}</Setting>
            <Setting label="Embedding model">
              <span className="font-mono">{collection.embeddingModel}</span>
            </Setting>
            <Setting label="Dimension">{collection.dimension}</Setting>
            <Setting label="Distance">{collection.distance}</Setting>
            <Setting label="Chunk size">{formatCount(collection.chunkSize)} chars</Setting>
            <Setting label="Chunk overlap">{formatCount(collection.chunkOverlap)} chars</Setting>
            <Setting label="Vector backend">{collection.vectorBackend}</Setting>
            <Setting label="Created (UTC)">
              <span className="font-mono text-xs">{formatUtc(collection.createdAt)}</span>
            </Setting>
          </dl>
          <p className="mt-3 text-sm text-muted-foreground">
            The live version{collection.activeVersion !== null ? ` (v${collection.activeVersion})` : ""}&apos;s points were embedded and chunked with these, so they are not edited in place:{" "}
            {canOperate ? (
              <Link href={`/collections/${collection.id}/reindex`} className="text-foreground underline">
                changing them is a reindex
              </Link>
            ) : (
              "changing them is a reindex, which an operator or an admin starts"
            )}
            , which builds a new version beside the live one and switches to it once it passes validation.
          </p>
        </CardContent>
      </Card>
      <VectorLayoutCard backend={collection.vectorBackend} layout={collection.vectorLayout} />
      <Card className="border-destructive/40">
        <CardHeader>
          <CardTitle as="h2">Delete this collection</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3 text-sm">
          <p>Its points in every version, its documents, sources and uploaded files go; server folders are not touched.</p>
          {canDelete ? <LiveDeleteButton initial={detail} /> : <p className="text-muted-foreground">Only an admin can delete a collection.</p>}
        </CardContent>
      </Card>
    </div>
  );
}
