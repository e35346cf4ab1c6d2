import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { describeVectorLayout, type VectorLayout } from "@/lib/services/collection/vector-layout";

/** Qdrant's layout of the collection's versions; with LanceDB, shown as not applying rather than hidden. */
export function VectorLayoutCard({ backend, layout }: { backend: "lancedb" | "qdrant"; layout: VectorLayout }) {
  const rows = describeVectorLayout(layout);
  const applies = backend === "qdrant";
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">Vector store layout</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        <dl className={`grid grid-cols-[12rem_1fr] gap-x-4 gap-y-1 ${applies ? "" : "text-muted-foreground"}`} aria-label="Vector store layout">
          {rows.map((r) => (
            <div key={r.key} className="contents">
              <dt className="text-muted-foreground">{r.label}</dt>
              <dd className={r.defaulted ? "text-muted-foreground" : ""}>{r.value}</dd>
            </div>
          ))}
        </dl>
        {applies ? (
          <p className="text-muted-foreground">
            Qdrant creates each version of this collection with these, chosen when the collection was created; a setting left unset takes the
            server&apos;s default.
          </p>
        ) : (
          <p role="note">
            These settings apply only with Qdrant (<span className="font-mono">VECTOR_STORE=qdrant</span>). This collection is stored in LanceDB,
            which has no shards, replicas or HNSW parameters to set, so they do not apply to it.
          </p>
        )}
      </CardContent>
    </Card>
  );
}
