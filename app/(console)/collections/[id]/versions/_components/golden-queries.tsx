"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useActionState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { formatUtc } from "@/lib/format";
import { fetchData } from "@/lib/query/fetch-json";
import { tryGoldenQueryUrl, type GoldenQueryRow, type GoldenTryResult } from "@/lib/query/versions";
import { Field, otherErrors, useRememberedAction } from "../../../_components/form-fields";
import { createGoldenQueryAction, deleteGoldenQueryAction } from "../actions";
import { FormErrors } from "@/components/forms/form-errors";

const FIELD_KEYS = ["query", "expected"];

/** Queries every reindex must still answer with the expected documents: validation's "golden" gate. */
export function GoldenQueries({ collectionId, queries, canManage, hasData }: { collectionId: string; queries: GoldenQueryRow[]; canManage: boolean; hasData: boolean }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">Golden queries</CardTitle>
        <CardDescription>
          A reindex fails validation when a golden query finds fewer of its expected documents in the new version&apos;s top 10 than in the live one (and fewer than the minimum recall).
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {queries.length === 0 ? (
          <p className="text-sm text-muted-foreground">No golden queries yet: validation uses queries drawn from the documents only.</p>
        ) : (
          <ul aria-label="Golden queries" className="divide-y rounded-lg border">
            {queries.map((q) => (
              <GoldenQueryItem key={q.id} collectionId={collectionId} query={q} canManage={canManage} hasData={hasData} />
            ))}
          </ul>
        )}
        {canManage ? <AddGoldenQueryForm collectionId={collectionId} /> : <p className="text-xs text-muted-foreground">An operator can add and delete golden queries.</p>}
      </CardContent>
    </Card>
  );
}

function GoldenQueryItem({ collectionId, query, canManage, hasData }: { collectionId: string; query: GoldenQueryRow; canManage: boolean; hasData: boolean }) {
  const tried = useMutation({ mutationFn: () => fetchData<GoldenTryResult>(tryGoldenQueryUrl(collectionId, query.id)) });
  const [deleted, deleteAction, deleting] = useActionState(deleteGoldenQueryAction, null);
  const rankOf = (documentId: string) => tried.data?.expected.find((e) => e.documentId === documentId)?.rank;
  return (
    <li className="space-y-2 p-3" aria-label={`Golden query “${query.query}”`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="font-medium">“{query.query}”</p>
          <p className="text-xs text-muted-foreground">
            Added {formatUtc(query.createdAt)} UTC{query.createdBy ? ` by ${query.createdBy}` : ""}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <Button type="button" variant="outline" size="sm" disabled={!hasData || tried.isPending} onClick={() => tried.mutate()} aria-label={`Try “${query.query}”`}>
            {tried.isPending ? "Trying…" : "Try it"}
          </Button>
          {canManage && (
            <form action={deleteAction}>
              <input type="hidden" name="collectionId" value={collectionId} />
              <input type="hidden" name="queryId" value={query.id} />
              <ConfirmButton
                variant="ghost"
                size="sm"
                disabled={deleting}
                aria-label={`Delete golden query “${query.query}”`}
                title={`Delete the golden query “${query.query}”?`}
                description="Later reindexes no longer check that it still finds its expected documents."
                confirmLabel="Delete golden query"
              >
                Delete
              </ConfirmButton>
            </form>
          )}
        </div>
      </div>
      <div>
        <p className="text-xs font-medium text-muted-foreground">Expected in the top 10</p>
        <ul aria-label="Expected documents" className="text-sm">
          {query.expected.map((e) => {
            const rank = rankOf(e.documentId);
            return (
              <li key={e.documentId} className="flex flex-wrap items-center gap-2">
                {e.path ? (
                  <Link href={`/collections/${collectionId}/documents/${e.documentId}`} className="break-all font-mono text-xs underline underline-offset-2">
                    {e.path}
                  </Link>
                ) : (
                  <span className="font-mono text-xs text-muted-foreground">{e.documentId}</span>
                )}
                {!e.path && <Badge variant="warning">no longer in the collection</Badge>}
                {e.path && e.stage !== "complete" && <Badge variant="warning">{e.stage}</Badge>}
                {tried.data && (rank ? <Badge variant="success">found, #{rank}</Badge> : <Badge variant="destructive">not in the top 10</Badge>)}
              </li>
            );
          })}
        </ul>
      </div>
      {tried.error && <p className="text-sm text-destructive">{tried.error.message}</p>}
      {tried.data && (
        <div role="status" className="rounded-md bg-muted/50 p-2 text-sm">
          <p>
            Found {tried.data.found} of {tried.data.expected.length} expected document{tried.data.expected.length === 1 ? "" : "s"} in the live version&apos;s top {tried.data.k}.
          </p>
          <details className="mt-1">
            <summary className="cursor-pointer text-xs text-muted-foreground">The top {tried.data.top.length} documents</summary>
            <ol className="mt-1 list-decimal pl-5 font-mono text-xs">
              {tried.data.top.map((t) => (
                <li key={t.documentId} className="break-all">
                  {t.path} <span className="text-muted-foreground">({t.score.toFixed(3)})</span>
                </li>
              ))}
            </ol>
          </details>
        </div>
      )}
      {deleted && !deleted.ok && <p className="text-sm text-destructive">{deleted.formError}</p>}
    </li>
  );
}

function AddGoldenQueryForm({ collectionId }: { collectionId: string }) {
  const [{ result, values }, action, pending] = useRememberedAction(createGoldenQueryAction);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const kept = result && !result.ok ? values : {};
  const formErrors = result && !result.ok ? [result.formError, ...otherErrors(errors, FIELD_KEYS)].filter((m): m is string => !!m) : [];
  return (
    <form action={action} noValidate aria-label="Add a golden query" className="space-y-3 rounded-lg border p-4">
      <h3 className="text-sm font-semibold">Add a golden query</h3>
      <input type="hidden" name="collectionId" value={collectionId} />
      <FormErrors messages={formErrors} />
      {result?.ok && (
        <p role="status" className="text-sm text-success">
          Added. Every later reindex checks it.
        </p>
      )}
      <Field id="golden-query" label="Query" errors={errors?.query} hint="What an operator would search for, up to 500 characters.">
        {(p) => <Input {...p} name="query" maxLength={500} defaultValue={kept.query ?? ""} autoComplete="off" />}
      </Field>
      <Field id="golden-expected" label="Expected documents" errors={errors?.expected} hint="Paths as the Documents tab shows them (or document ids), one per line, at most 20.">
        {(p) => <Textarea {...p} name="expected" rows={3} defaultValue={kept.expected ?? ""} className="font-mono text-xs" spellCheck={false} />}
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add golden query"}
      </Button>
    </form>
  );
}
