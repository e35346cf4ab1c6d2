import type { Embedder } from "@/lib/embeddings";
import { formatCount } from "@/lib/format";
import type { VectorStore } from "@/lib/vector/types";

/** The gates a staging version must pass before the switch; stored per collection, these are the defaults. */
export type ValidationThresholds = {
  /** Points in the staging version may differ from the expected count by this share (0.001 = 0.1 %). */
  countTolerance: number;
  /** Mean share of the old top-k documents the new top-k also returns, over the sample queries. */
  minOverlap: number;
  /** Share of the expected documents (the sampled document, a golden query's documents) found in the new top-k; when the live version finds fewer, within RECALL_SLACK of it. */
  minRecall: number;
  /** Largest mean change of the best score, old against new; gated only when model and chunking stay (else scores move by design). */
  maxScoreDrift: number;
};

/** How far below the live version's recall a staging version may land (sampling noise of ~20 queries is 0.05 a query). */
const RECALL_SLACK = 0.1;

export const DEFAULT_THRESHOLDS: ValidationThresholds = { countTolerance: 0.001, minOverlap: 0.3, minRecall: 0.7, maxScoreDrift: 0.2 };

export type ValidationQuery = { text: string; expected: string[]; kind: "sample" | "golden"; label?: string };

export type QueryResult = { kind: "sample" | "golden"; label: string; overlap: number; recallOld: number | null; recallNew: number | null; scoreOld: number | null; scoreNew: number | null };

/** `gated`: false when the change is not judged on this gate (it then always passes, and says why in `threshold`). */
export type Gate = { name: "count" | "dimension" | "overlap" | "recall" | "golden" | "score_drift"; passed: boolean; gated: boolean; value: number | null; threshold: string; detail: string };

export type ValidationReport = {
  passed: boolean;
  k: number;
  expectedPoints: number;
  points: number;
  dimension: { expected: number; actual: number | null };
  gates: Gate[];
  queries: QueryResult[];
  /** Means over the queries. */
  overlap: number | null;
  recallOld: number | null;
  recallNew: number | null;
  scoreDrift: number | null;
  checkedAt: string;
};

type Side = { name: string; embedder: Embedder };

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

/** The distinct documents of the top hits, best first, at most k. */
async function topDocuments(store: VectorStore, side: Side, vector: Float32Array, k: number): Promise<{ docs: string[]; best: number | null }> {
  const hits = await store.search(side.name, vector, { limit: k * 4 });
  const docs: string[] = [];
  for (const h of hits) {
    const doc = String(h.payload.document_id ?? "");
    if (doc && !docs.includes(doc)) docs.push(doc);
    if (docs.length === k) break;
  }
  return { docs, best: hits[0]?.score ?? null };
}

/**
 * Each golden query on its own: averaged in with the sample queries, one query that loses its
 * expected documents would pass the recall gate. It fails when the new version finds fewer of
 * them than the live one does and fewer than `minRecall` (a query the live version misses too
 * does not block a reindex that may fix it).
 */
function goldenGate(results: QueryResult[], queries: ValidationQuery[], minRecall: number, k: number): Gate | null {
  const golden = results.flatMap((r, i) => (r.kind === "golden" && r.recallNew !== null ? [{ r, expected: queries[i]!.expected.length }] : []));
  if (!golden.length) return null;
  const lost = golden.filter(({ r }) => r.recallNew! < minRecall && r.recallNew! < (r.recallOld ?? 0));
  const found = (share: number | null, n: number) => `${Math.round((share ?? 0) * n)} of ${n}`;
  return {
    name: "golden",
    passed: lost.length === 0,
    gated: true,
    value: golden.length - lost.length,
    threshold: `each golden query ≥ ${minRecall} of its expected documents in the top ${k}, or as many as the live version finds`,
    detail: lost.length
      ? `${lost.length} of ${golden.length} golden queries lose expected documents: ${lost
          .slice(0, 3)
          .map(({ r, expected }) => `“${r.label}” finds ${found(r.recallNew, expected)} (live version: ${found(r.recallOld, expected)})`)
          .join(", ")}`
      : `all ${golden.length} golden queries find their expected documents`,
  };
}

/**
 * Compares the staging version with the live one: its point count and dimension, and for every
 * query the top-k documents of each (overlap), whether the expected documents are found (recall),
 * and the best score's change (drift). Documents, not chunks, are compared: a new chunk size
 * changes every chunk but not which documents answer a query.
 */
export async function validateStaging(opts: {
  store: VectorStore;
  live: Side;
  staging: Side;
  expectedPoints: number;
  expectedDimension: number;
  queries: ValidationQuery[];
  thresholds: ValidationThresholds;
  /** Why the best scores are expected to move (a new model or chunking), or null when they should not. */
  scoresMoveBecause: string | null;
  k?: number;
}): Promise<ValidationReport> {
  const { store, live, staging, thresholds, expectedPoints, expectedDimension, queries } = opts;
  const k = opts.k ?? 10;
  const info = await store.collectionInfo(staging.name);
  const points = info?.count ?? 0;
  const results: QueryResult[] = [];
  const modelChanged = live.embedder.model !== staging.embedder.model;
  const dimensionOk = info?.dimension === expectedDimension;
  // Without the right dimension no query can run against the staging version.
  if (dimensionOk && queries.length) {
    const oldVectors = await live.embedder.embed(queries.map((q) => q.text));
    const newVectors = modelChanged ? await staging.embedder.embed(queries.map((q) => q.text)) : oldVectors;
    for (const [i, q] of queries.entries()) {
      const before = await topDocuments(store, live, oldVectors[i]!, k);
      const after = await topDocuments(store, staging, newVectors[i]!, k);
      const overlap = before.docs.length ? before.docs.filter((d) => after.docs.includes(d)).length / before.docs.length : 1;
      const recall = (docs: string[]) => (q.expected.length ? q.expected.filter((d) => docs.includes(d)).length / q.expected.length : null);
      results.push({ kind: q.kind, label: q.label ?? q.text.slice(0, 80), overlap, recallOld: recall(before.docs), recallNew: recall(after.docs), scoreOld: before.best, scoreNew: after.best });
    }
  }
  const overlap = mean(results.map((r) => r.overlap));
  const recallOld = mean(results.flatMap((r) => (r.recallOld === null ? [] : [r.recallOld])));
  const recallNew = mean(results.flatMap((r) => (r.recallNew === null ? [] : [r.recallNew])));
  const drift = mean(results.flatMap((r) => (r.scoreOld === null || r.scoreNew === null ? [] : [Math.abs(r.scoreOld - r.scoreNew)])));
  const golden = goldenGate(results, queries, thresholds.minRecall, k);
  const off = expectedPoints === 0 ? (points === 0 ? 0 : 1) : Math.abs(points - expectedPoints) / expectedPoints;
  const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
  const gates: Gate[] = [
    { name: "count", passed: off <= thresholds.countTolerance, gated: true, value: points, threshold: `${formatCount(expectedPoints)} ± ${pct(thresholds.countTolerance)}`, detail: `${formatCount(points)} points, ${formatCount(expectedPoints)} expected (${pct(off)} off)` },
    { name: "dimension", passed: dimensionOk, gated: true, value: info?.dimension ?? null, threshold: String(expectedDimension), detail: info ? `${info.dimension} dimensions, ${expectedDimension} expected` : "the staging version does not exist" },
  ];
  if (dimensionOk && results.length) {
    gates.push({ name: "overlap", passed: (overlap ?? 0) >= thresholds.minOverlap, gated: true, value: round(overlap), threshold: `≥ ${thresholds.minOverlap}`, detail: `mean top-${k} document overlap with the live version over ${results.length} queries` });
    if (recallNew !== null) {
      // Judged against what the live version achieves: on a corpus of near-copies (licence texts)
      // even the live version misses some, and a reindex as good as it must pass. Never below half
      // the policy's: the live side's queries go through the same embedder, so a broken one drags
      // both down together.
      const bar = recallOld === null ? thresholds.minRecall : Math.max(thresholds.minRecall / 2, Math.min(thresholds.minRecall, recallOld - RECALL_SLACK));
      const threshold = bar < thresholds.minRecall ? `≥ ${round(bar)} (the live version's ${round(recallOld)} less ${RECALL_SLACK}, between half the policy's ${thresholds.minRecall} and all of it)` : `≥ ${thresholds.minRecall}`;
      gates.push({ name: "recall", passed: recallNew >= bar, gated: true, value: round(recallNew), threshold, detail: `expected documents found in the top ${k} (live version: ${round(recallOld)})` });
    }
    if (golden) gates.push(golden);
    if (drift !== null)
      gates.push({
        name: "score_drift",
        passed: opts.scoresMoveBecause !== null || drift <= thresholds.maxScoreDrift,
        gated: opts.scoresMoveBecause === null,
        value: round(drift),
        threshold: opts.scoresMoveBecause ? `not gated: ${opts.scoresMoveBecause}` : `≤ ${thresholds.maxScoreDrift}`,
        detail: "mean change of the best score",
      });
  }
  return {
    passed: gates.every((g) => g.passed),
    k,
    expectedPoints,
    points,
    dimension: { expected: expectedDimension, actual: info?.dimension ?? null },
    gates,
    queries: results.map((r) => ({ ...r, overlap: round(r.overlap)!, recallOld: round(r.recallOld), recallNew: round(r.recallNew), scoreOld: round(r.scoreOld), scoreNew: round(r.scoreNew) })),
    overlap: round(overlap),
    recallOld: round(recallOld),
    recallNew: round(recallNew),
    scoreDrift: round(drift),
    checkedAt: new Date().toISOString(),
  };
}
