/**
 * How a reindex reads to an operator: setting labels, the checkpoints of REINDEX and ROLLBACK in
 * order with a one-line detail from each output, and the estimate in words. Pure, and imports only
 * types, so the form and the operation page (client components) and their tests share it.
 */
import type { ReindexEstimate } from "@/lib/reindex/estimate";
import type { Gate } from "@/lib/reindex/validate";
import { formatBytes, formatCount, formatDuration, formatUtc } from "./format";

export type SettingKey = "embeddingModel" | "dimension" | "distance" | "chunkSize" | "chunkOverlap";
export const SETTING_KEYS: readonly SettingKey[] = ["embeddingModel", "dimension", "distance", "chunkSize", "chunkOverlap"];

export const SETTING_LABELS: Record<SettingKey, string> = {
  embeddingModel: "Embedding model",
  dimension: "Dimension",
  distance: "Distance",
  chunkSize: "Chunk size",
  chunkOverlap: "Chunk overlap",
};

/** "1,200 chars" for the chunking, the bare value otherwise. */
export function formatSetting(key: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if ((key === "chunkSize" || key === "chunkOverlap") && typeof value === "number") return `${formatCount(value)} chars`;
  if (key === "dimension" && typeof value === "number") return formatCount(value);
  return String(value);
}

export const GATE_LABELS: Record<Gate["name"], string> = {
  count: "Point count",
  dimension: "Dimension",
  overlap: "Top-k overlap",
  recall: "Recall",
  golden: "Golden queries",
  score_drift: "Score drift",
};

/** A gate the policy does not apply to this change (score drift when the model or chunking changes) passes by design; `threshold` says why. */
export const isGated = (gate: Pick<Gate, "gated">) => gate.gated;

type Step = { name: string; status: string; attempts: number; output: unknown; error: string | null; startedAt: string | null; finishedAt: string | null };
type Op = { type: string; status: string; params: Record<string, unknown> };

/** `not_yet`: still to come; `did_not_run`: the operation ended before it; `not_required`: no approval was asked for. */
export type CheckpointState = "not_yet" | "did_not_run" | "not_required" | "pending" | "running" | "succeeded" | "failed" | "skipped";

export type TimelineEntry = {
  name: string;
  label: string;
  /** What the checkpoint does, for the greyed rows still to come. */
  about: string;
  state: CheckpointState;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  attempts: number | null;
  detail: string | null;
  error: string | null;
};

const REINDEX_CHECKPOINTS = [
  { name: "preflight", label: "Preflight", about: "the new settings, the embedder and the disk are checked" },
  { name: "staging", label: "Staging", about: "the new version is created beside the live one" },
  { name: "reprocessing", label: "Reprocessing", about: "every document is re-chunked and re-embedded from its kept text" },
  { name: "validation", label: "Validation", about: "the new version is compared with the live one" },
  { name: "approval", label: "Approval", about: "an operator approves or rejects the switch" },
  { name: "switch", label: "Switch", about: "searches move to the new version at once" },
  { name: "cleanup", label: "Cleanup", about: "the old version is kept for the rollback window" },
];
const ROLLBACK_CHECKPOINTS = [
  { name: "validation", label: "Validation", about: "the retired version is checked against what it held" },
  { name: "switch", label: "Switch", about: "searches move back to the retired version at once" },
  { name: "cleanup", label: "Cleanup", about: "the version left is kept for the rollback window" },
];

export const hasCheckpointTimeline = (type: string) => type === "REINDEX" || type === "ROLLBACK";

const ACTIVE = new Set(["queued", "running", "waiting"]);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** Every checkpoint of a REINDEX or ROLLBACK in the order it runs, whether it has started or not. */
export function checkpointTimeline(op: Op, steps: Step[], now: number): TimelineEntry[] {
  const known = op.type === "ROLLBACK" ? ROLLBACK_CHECKPOINTS : REINDEX_CHECKPOINTS;
  const byName = new Map(steps.map((s) => [s.name, s]));
  const extra = steps.filter((s) => !known.some((k) => k.name === s.name)).map((s) => ({ name: s.name, label: s.name, about: "" }));
  const active = ACTIVE.has(op.status);
  return [...known, ...extra].map(({ name, label, about }) => {
    const step = byName.get(name);
    if (!step) {
      const state: CheckpointState = name === "approval" && op.params.requireApproval === false ? "not_required" : active ? "not_yet" : "did_not_run";
      return { name, label, about, state, startedAt: null, finishedAt: null, durationMs: null, attempts: null, detail: null, error: null };
    }
    const start = step.startedAt ? Date.parse(step.startedAt) : null;
    const end = step.finishedAt ? Date.parse(step.finishedAt) : step.status === "running" && active ? now : null;
    return {
      name,
      label,
      about,
      state: step.status as CheckpointState,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      durationMs: start !== null && end !== null ? Math.max(0, end - start) : null,
      attempts: step.attempts,
      detail: checkpointDetail(op.type, name, step),
      error: step.error,
    };
  });
}

export type DecisionRecord = { decision: "approve" | "reject" | "timeout"; actor: string; comment: string; at: string };

/** The decision on the approval checkpoint's output, if one was made. */
export function decisionOf(output: unknown): DecisionRecord | null {
  const d = obj(obj(output).decision);
  const decision = d.decision;
  if (decision !== "approve" && decision !== "reject" && decision !== "timeout") return null;
  return { decision, actor: str(d.actor) ?? "system", comment: typeof d.comment === "string" ? d.comment : "", at: str(d.at) ?? "" };
}

/** "approved by ann@example.com at 2025-01-02 10:00:00 UTC: “looks good”". */
export function decisionText(d: DecisionRecord): string {
  const when = d.at ? ` at ${formatUtc(d.at)} UTC` : "";
  if (d.decision === "timeout") return `not decided before the deadline${when}`;
  return `${d.decision === "approve" ? "approved" : "rejected"} by ${d.actor}${when}${d.comment ? `: “${d.comment}”` : ""}`;
}

function checkpointDetail(type: string, name: string, step: Step): string | null {
  const o = obj(step.output);
  switch (name) {
    case "preflight": {
      const parts = [
        num(o.liveVersion) !== null && `live version v${o.liveVersion}`,
        str(o.embedder) && num(o.dimension) !== null && `${o.embedder} embedder, ${formatCount(o.dimension as number)} dimensions`,
        num(o.freeBytes) !== null && `${formatBytes(num(o.reservedBytes) ?? 0)} reserved, ${formatBytes(o.freeBytes as number)} free`,
      ];
      return parts.filter(Boolean).join(" · ") || null;
    }
    case "staging":
      return num(o.version) !== null ? `building v${o.version}${str(o.physicalName) ? ` (${o.physicalName})` : ""}` : null;
    case "reprocessing":
      return num(o.documents) !== null ? `${formatCount(o.documents as number)} documents, ${formatCount(num(o.points) ?? 0)} points written` : null;
    case "validation":
      return type === "ROLLBACK" ? rollbackValidationDetail(o) : reindexValidationDetail(o);
    case "approval": {
      const decided = decisionOf(o);
      if (decided) return decisionText(decided);
      return str(o.deadline) ? `awaiting a decision until ${formatUtc(o.deadline as string)} UTC` : null;
    }
    case "switch":
      return num(o.toVersion) !== null ? `v${o.fromVersion ?? "–"} → v${o.toVersion}; the alias moved in ${formatDuration(num(o.aliasMs) ?? 0)}` : null;
    case "cleanup":
      if (!("keptVersion" in o)) return null;
      return num(o.keptVersion) !== null ? `v${o.keptVersion} kept for rollback${str(o.deleteAfter) ? ` until ${formatUtc(o.deleteAfter as string)} UTC` : ""}` : "no earlier version to keep";
    default:
      return null;
  }
}

function reindexValidationDetail(o: Record<string, unknown>): string | null {
  if (!Array.isArray(o.gates)) return null;
  const gates = (o.gates as Gate[]).filter(isGated);
  const failed = gates.filter((g) => !g.passed);
  const passed = `${gates.length - failed.length} of ${gates.length} gates passed`;
  const head = failed.length ? `failed ${failed.map((g) => GATE_LABELS[g.name] ?? g.name).join(", ")} (${passed})` : passed;
  const overlap = num(o.overlap);
  const recall = num(o.recallNew);
  return [head, overlap !== null && `overlap ${overlap.toFixed(2)}`, recall !== null && `recall ${recall.toFixed(2)}`].filter(Boolean).join(" · ");
}

function rollbackValidationDetail(o: Record<string, unknown>): string | null {
  if (num(o.points) === null) return null;
  const added = num(o.documentsAddedSince) ?? 0;
  return `${formatCount(o.points as number)} of ${formatCount(num(o.expectedPoints) ?? 0)} points expected · ${o.dimension} dimensions · ${added === 0 ? "no document added since" : `${formatCount(added)} documents added since`}`;
}

/** "about 1 min 5 s": durations from an estimate are never exact. */
export const aboutDuration = (seconds: number) => `about ${formatDuration(seconds * 1000)}`;

/** The estimate's points: exact when the chunking stays, else an estimate from a sample, beside today's count. */
export function pointsText(e: Pick<ReindexEstimate, "points" | "currentPoints" | "pointsExact">): string {
  return e.pointsExact ? `${formatCount(e.points)} (the chunking stays, so as many as now)` : `about ${formatCount(e.points)} (now ${formatCount(e.currentPoints)})`;
}

/** How long the reprocessing should take at the collection's past rate, and on what that is based. */
export function durationText(e: Pick<ReindexEstimate, "durationS" | "rateDocsPerS" | "rateBasis">): string {
  if (e.durationS === null || e.rateDocsPerS === null) return `unknown: ${e.rateBasis}`;
  return `${aboutDuration(e.durationS)} at ${formatCount(e.rateDocsPerS)} documents/s, from ${e.rateBasis}`;
}

/** The ETA under the throttle, or null when there is no throttle (the duration says it all). */
export function throttledEtaText(e: Pick<ReindexEstimate, "etaS" | "rateDocsPerS">, throttleDocsPerS: number | null): string | null {
  if (throttleDocsPerS === null || e.etaS === null) return null;
  const limiting = e.rateDocsPerS === null || throttleDocsPerS < e.rateDocsPerS;
  return `${aboutDuration(e.etaS)} with the throttle of ${formatCount(throttleDocsPerS)} documents/s${limiting ? "" : " (the past rate is lower, so the throttle does not slow it)"}`;
}
