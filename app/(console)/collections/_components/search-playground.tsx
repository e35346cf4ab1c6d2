"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { SearchResult } from "@/lib/query/collections";

async function postSearch(collectionId: string, query: string, limit: number): Promise<SearchResult> {
  const response = await fetch(`/api/v1/collections/${collectionId}/search`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, limit }),
  });
  const body = (await response.json().catch(() => null)) as { data?: SearchResult; error?: { message?: string } } | null;
  if (!response.ok || !body?.data) throw new Error(body?.error?.message ?? `Search failed (${response.status}).`);
  return body.data;
}

/** Top-k chunks from the live version, embedded the way the collection embeds its documents. */
export function SearchPlayground({ collectionId, hasData }: { collectionId: string; hasData: boolean }) {
  const [query, setQuery] = useState("");
  const [limit, setLimit] = useState("5");
  const search = useMutation({ mutationFn: (input: { query: string; limit: number }) => postSearch(collectionId, input.query, input.limit) });

  function submit(event: FormEvent) {
    event.preventDefault();
    search.mutate({ query, limit: Number(limit) || 5 });
  }

  return (
    <section aria-labelledby="search-heading" className="mb-8">
      <h2 id="search-heading" className="mb-2 text-lg font-semibold">
        Search playground
      </h2>
      {!hasData && <p className="mb-2 text-sm text-muted-foreground">Search works once the first INDEX operation has made a version live.</p>}
      <form onSubmit={submit} aria-label="Search this collection" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1 space-y-1">
          <Label htmlFor="search-query">Query</Label>
          <Input id="search-query" name="query" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="w-24 space-y-1">
          <Label htmlFor="search-k">Results (k)</Label>
          <Input id="search-k" name="limit" type="number" min={1} max={50} value={limit} onChange={(e) => setLimit(e.target.value)} />
        </div>
        <Button type="submit" disabled={search.isPending}>
          {search.isPending ? "Searching…" : "Search"}
        </Button>
      </form>
      {search.error && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{search.error.message}</AlertDescription>
        </Alert>
      )}
      {search.data && (
        <>
          <p className="mb-2 text-xs text-muted-foreground" role="status">
            {search.data.hits.length} result{search.data.hits.length === 1 ? "" : "s"} in {search.data.tookMs} ms
          </p>
          <ol aria-label="Search results" className="space-y-3">
            {search.data.hits.map((hit, i) => (
              <li key={hit.id} className="rounded-lg border p-3">
                <div className="mb-1 flex flex-wrap items-baseline gap-x-3 text-sm">
                  <span className="text-muted-foreground">#{i + 1}</span>
                  <span className="font-mono tabular-nums" title="Score">
                    {hit.score.toFixed(3)}
                  </span>
                  {hit.documentId ? (
                    <Link href={`/collections/${collectionId}/documents/${hit.documentId}`} className="break-all font-mono text-xs underline underline-offset-2">
                      {hit.path}
                    </Link>
                  ) : (
                    <span className="break-all font-mono text-xs">{hit.path}</span>
                  )}
                  <span className="text-xs text-muted-foreground">chunk {hit.ordinal}</span>
                </div>
                <p className="whitespace-pre-wrap text-sm">{hit.text}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
