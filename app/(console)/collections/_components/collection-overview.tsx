import Link from "next/link";
import type { ReactNode } from "react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DOCUMENT_STAGES } from "@/lib/document-stages";
import type { CollectionDetail } from "@/lib/query/collections";
import { StageBadge } from "./badges";
import { formatCount, formatUtc } from "@/lib/format";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="text-right tabular-nums">{children}</dd>
    </>
  );
}

export function CollectionOverview({ detail, canReindex }: { detail: CollectionDetail; canReindex: boolean }) {
  const { collection, stats, versions } = detail;
  const counts = new Map(detail.stages.map((s) => [s.stage, s.n]));
  const active = versions.find((v) => v.version === collection.activeVersion) ?? null;
  return (
    <div className="mb-8 grid gap-4 md:grid-cols-2 xl:grid-cols-4">
      <Card>
        <CardHeader>
          <CardTitle as="h3">Documents by stage</CardTitle>
        </CardHeader>
        <CardContent>
          <p className="mb-2 text-2xl font-semibold tabular-nums">{formatCount(stats.documents)}</p>
          {stats.documents === 0 ? (
            <p className="text-sm text-muted-foreground">None yet.</p>
          ) : (
            <ul aria-label="Documents by stage" className="space-y-1 text-sm">
              {DOCUMENT_STAGES.filter((stage) => counts.has(stage)).map((stage) => (
                <li key={stage} className="flex items-center justify-between gap-2">
                  <Link href={`/collections/${collection.id}/documents?stage=${stage}`} className="underline-offset-2 hover:underline">
                    <StageBadge stage={stage} />
                  </Link>
                  <span className="tabular-nums">{formatCount(counts.get(stage) ?? 0)}</span>
                </li>
              ))}
            </ul>
          )}
          {stats.dead > 0 && (
            <Link href={`/collections/${collection.id}/dead-letters`} className="mt-3 inline-block text-sm text-destructive underline">
              Review {formatCount(stats.dead)} dead letters
            </Link>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h3">Points</CardTitle>
        </CardHeader>
        <CardContent>
          <p className="mb-2 text-2xl font-semibold tabular-nums">{formatCount(stats.points)}</p>
          <dl className="grid grid-cols-2 gap-1 text-sm">
            <Fact label="Complete documents">{formatCount(stats.complete)}</Fact>
            <Fact label="In progress">{formatCount(stats.active)}</Fact>
            <Fact label="In active version">{active ? formatCount(active.pointCount) : "—"}</Fact>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h3">Active version</CardTitle>
        </CardHeader>
        <CardContent>
          <p className="mb-2 text-2xl font-semibold">{active ? `v${active.version}` : "none yet"}</p>
          <dl className="grid grid-cols-2 gap-1 text-sm">
            <Fact label="Vector backend">{collection.vectorBackend}</Fact>
            <Fact label="Physical name">
              <span className="break-all font-mono text-xs">{active?.physicalName ?? "—"}</span>
            </Fact>
            <Fact label="Activated (UTC)">
              <span className="font-mono text-xs">{formatUtc(active?.activatedAt)}</span>
            </Fact>
            <Fact label="Versions">{versions.length}</Fact>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h3">Embedding and chunking</CardTitle>
        </CardHeader>
        <CardContent>
          <p className="mb-2 break-all font-mono text-sm font-semibold">{collection.embeddingModel}</p>
          <dl className="grid grid-cols-2 gap-1 text-sm">
            <Fact label="Dimension">{collection.dimension}</Fact>
            <Fact label="Distance">{collection.distance}</Fact>
            <Fact label="Chunk size">{formatCount(collection.chunkSize)} chars</Fact>
            <Fact label="Chunk overlap">{formatCount(collection.chunkOverlap)} chars</Fact>
          </dl>
          {canReindex && (
            <Link href={`/collections/${collection.id}/reindex`} className="mt-3 inline-block text-sm underline">
              Change with a reindex…
            </Link>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
