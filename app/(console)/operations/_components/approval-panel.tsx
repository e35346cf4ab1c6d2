"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FieldError } from "@/components/ui/field-error";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { formatUtc } from "@/lib/format";
import type { ValidationReport } from "@/lib/reindex/validate";
import { decisionText, type DecisionRecord } from "@/lib/reindex-display";
import { decideReindexAction } from "../actions";
import { reportSummary } from "./validation-report";

type ApprovalProps = {
  operationId: string;
  /** The approval checkpoint is running: the operation waits for a decision. */
  awaiting: boolean;
  deadline: string | null;
  decision: DecisionRecord | null;
  report: ValidationReport | null;
  versions: { from: number | null; to: number | null };
  canDecide: boolean;
};

/** The decision of a reindex that asked for approval: the report's summary and the buttons while it waits, who decided once it is made. */
export function ApprovalPanel({ operationId, awaiting, deadline, decision, report, versions, canDecide }: ApprovalProps) {
  const to = versions.to !== null ? `v${versions.to}` : "the new version";
  const from = versions.from !== null ? `v${versions.from}` : "the live version";
  return (
    <Card role="region" aria-labelledby="approval-heading" className={awaiting && !decision ? "border-warning" : undefined}>
      <CardHeader>
        <CardTitle as="h2" id="approval-heading">
          Approval
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        {decision ? (
          <div data-testid="approval-decision" className="space-y-1">
            <p className={decision.decision === "approve" ? "font-medium text-success" : "font-medium text-destructive"}>{capitalize(decisionText({ ...decision, comment: "" }))}.</p>
            {decision.comment && <blockquote className="border-l-2 pl-3 text-muted-foreground">{decision.comment}</blockquote>}
            {awaiting && decision.decision === "approve" && <p className="text-muted-foreground">The switch to {to} follows.</p>}
          </div>
        ) : awaiting ? (
          <>
            <p>
              Validation passed{report ? `: ${reportSummary(report)}` : ""}. Approve to switch searches from {from} to {to}; reject to delete {to} and keep {from}.
              {deadline && ` Without a decision by ${formatUtc(deadline)} UTC, ${to} is deleted.`}
            </p>
            {canDecide ? <DecisionForm operationId={operationId} to={to} from={from} /> : <p className="text-muted-foreground">An operator or an admin decides; the report is below.</p>}
          </>
        ) : (
          <p className="text-muted-foreground">Asked for when the reindex started: the operation waits here after validation.</p>
        )}
      </CardContent>
    </Card>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function DecisionForm({ operationId, to, from }: { operationId: string; to: string; from: string }) {
  const queryClient = useQueryClient();
  const [state, action, pending] = useActionState(decideReindexAction, null);
  useEffect(() => {
    if (state?.ok) void queryClient.invalidateQueries({ queryKey: ["operation", operationId] });
  }, [state, operationId, queryClient]);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="max-w-xl space-y-3" aria-label="Decide on this reindex">
      <input type="hidden" name="operationId" value={operationId} />
      {state && !state.ok && state.formError && (
        <Alert variant="destructive">
          <AlertDescription>{state.formError}</AlertDescription>
        </Alert>
      )}
      <div className="space-y-1.5">
        <Label htmlFor="decision-comment">Comment (optional)</Label>
        <Textarea id="decision-comment" name="comment" rows={2} maxLength={2000} aria-invalid={!!errors?.comment} aria-describedby="decision-comment-error" placeholder="Why, for the audit log and whoever looks later" />
        <FieldError id="decision-comment-error" errors={errors?.comment} />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" name="decision" value="approve" disabled={pending}>
          {pending ? "Sending…" : `Approve and switch to ${to}`}
        </Button>
        <ConfirmButton
          variant="outline"
          disabled={pending}
          title={`Reject this reindex?`}
          description={`${to} is deleted and nothing switches: searches stay on ${from}. To try other settings, start a new reindex.`}
          confirmLabel="Reject"
          submitName="decision"
          submitValue="reject"
        >
          Reject…
        </ConfirmButton>
      </div>
    </form>
  );
}
