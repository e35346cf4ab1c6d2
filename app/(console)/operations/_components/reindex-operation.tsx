"use client";

import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatBytes, formatCount } from "@/lib/format";
import type { OperationDetail } from "@/lib/query/operations";
import type { ReindexEstimate } from "@/lib/reindex/estimate";
import type { ValidationReport } from "@/lib/reindex/validate";
import { aboutDuration, decisionOf, formatSetting, pointsText, SETTING_LABELS, type SettingKey } from "@/lib/reindex-display";
import { ApprovalPanel } from "./approval-panel";
import { CheckpointTimeline } from "./checkpoint-timeline";
import { RollbackCheckView, ValidationReportView, type RollbackCheck } from "./validation-report";

type ReindexParams = {
  diff?: Array<{ field: string; from: string | number; to: string | number }>;
  requireApproval?: boolean;
  throttleDocsPerS?: number | null;
  estimate?: ReindexEstimate;
  fromVersion?: number | null;
  toVersion?: number;
};

const isReport = (v: unknown): v is ValidationReport => !!v && typeof v === "object" && Array.isArray((v as ValidationReport).gates);
const isRollbackCheck = (v: unknown): v is RollbackCheck => !!v && typeof v === "object" && typeof (v as RollbackCheck).expectedPoints === "number" && "documentsAddedSince" in v;
const numberOr = (v: unknown, fallback: number | null) => (typeof v === "number" ? v : fallback);

/** A REINDEX or ROLLBACK: what it changes, its approval, its checkpoints in order and its validation report. */
export function ReindexOperation({ detail, canDecide, now }: { detail: OperationDetail; canDecide: boolean; now: number }) {
  const op = detail.operation;
  const params = op.params as ReindexParams;
  const step = (name: string) => detail.steps.find((s) => s.name === name);
  const validation = step("validation")?.output ?? (op.result as { validation?: unknown } | null)?.validation ?? null;
  const approval = step("approval");
  const approvalOutput = (approval?.output ?? null) as { deadline?: string } | null;
  const versions = {
    from: numberOr(params.fromVersion, null),
    to: numberOr((step("staging")?.output as { version?: number } | null)?.version, numberOr(params.toVersion, null)),
  };
  return (
    <div className="space-y-6">
      {op.type === "REINDEX" && params.requireApproval && (
        <ApprovalPanel
          operationId={op.id}
          awaiting={approval?.status === "running" && op.status === "waiting"}
          deadline={approvalOutput?.deadline ?? null}
          decision={decisionOf(approval?.output) ?? decisionOf(op.result)}
          report={isReport(validation) ? validation : null}
          versions={versions}
          canDecide={canDecide}
        />
      )}
      {op.type === "REINDEX" && <ChangeSummary params={params} />}
      <section aria-labelledby="checkpoints-heading">
        <h2 id="checkpoints-heading" className="mb-2 text-lg font-semibold">
          Checkpoints
        </h2>
        <CheckpointTimeline detail={detail} now={now} />
      </section>
      {isReport(validation) && <ValidationReportView report={validation} />}
      {op.type === "ROLLBACK" && isRollbackCheck(validation) && <RollbackCheckView check={validation} />}
    </div>
  );
}

function ChangeSummary({ params }: { params: ReindexParams }) {
  const e = params.estimate;
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">What this reindex changes</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1 text-sm">
          {(params.diff ?? []).map((d) => (
            <div key={d.field} className="contents">
              <dt className="text-muted-foreground">{SETTING_LABELS[d.field as SettingKey] ?? d.field}</dt>
              <dd className="font-mono text-xs leading-5">
                {formatSetting(d.field, d.from)} → <span className="font-semibold">{formatSetting(d.field, d.to)}</span>
              </dd>
            </div>
          ))}
          <dt className="text-muted-foreground">Approval</dt>
          <dd>{params.requireApproval ? "required before the switch" : "not required: the switch follows a passed validation"}</dd>
          <dt className="text-muted-foreground">Throttle</dt>
          <dd>{params.throttleDocsPerS ? `${formatCount(params.throttleDocsPerS)} documents/s at most` : "none"}</dd>
          {e && (
            <>
              <dt className="text-muted-foreground">Estimated at the start</dt>
              <dd>
                {formatCount(e.documents)} documents · points {pointsText(e)} · about {formatBytes(e.diskBytes)} of disk
                {e.etaS !== null ? ` · ${aboutDuration(e.etaS)}` : ""}
              </dd>
            </>
          )}
        </dl>
      </CardContent>
    </Card>
  );
}
