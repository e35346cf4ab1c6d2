"use client";

import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ReindexPolicyView } from "@/lib/query/versions";
import { Field, otherErrors, useRememberedAction } from "../../../_components/form-fields";
import { updatePolicyAction } from "../actions";
import { FormErrors } from "@/components/forms/form-errors";

type Key = keyof ReindexPolicyView["policy"];
type NumberKey = Exclude<Key, "distinctApprover">;

const NUMBERS: { key: NumberKey; label: string; unit: "share" | "hours"; hint: string }[] = [
  { key: "countTolerance", label: "Point count tolerance", unit: "share", hint: "How far the new version's points may be from the expected count." },
  { key: "minOverlap", label: "Minimum top-10 overlap", unit: "share", hint: "Share of the live version's top 10 documents the new version also returns." },
  { key: "minRecall", label: "Minimum recall", unit: "share", hint: "Share of the expected documents found in the top 10 (sample and golden queries); where the live version finds fewer, within 0.1 of it passes (never below half this)." },
  { key: "maxScoreDrift", label: "Maximum score drift", unit: "share", hint: "Largest mean change of the best score; not checked when the model, chunking or distance changes." },
  { key: "approvalTimeoutHours", label: "Approval timeout", unit: "hours", hint: "A reindex that asks for approval is abandoned after this." },
  { key: "rollbackWindowHours", label: "Rollback window", unit: "hours", hint: "How long the replaced version is kept for a rollback." },
];

const shown = (value: number, unit: "share" | "hours") => (unit === "hours" ? `${value} h` : `${value} (${Math.round(value * 1000) / 10} %)`);
const yesNo = (value: boolean) => (value ? "yes" : "no");

/** The thresholds and windows a reindex of this collection follows; admins edit them, empty fields take the default. */
export function PolicyCard({ collectionId, view, canEdit }: { collectionId: string; view: ReindexPolicyView; canEdit: boolean }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">Reindex policy</CardTitle>
        <CardDescription>What validation requires and how long approval and rollback wait. A reindex under way follows a change from its next step.</CardDescription>
      </CardHeader>
      <CardContent>{canEdit ? <PolicyForm collectionId={collectionId} view={view} /> : <PolicyList view={view} />}</CardContent>
    </Card>
  );
}

function PolicyList({ view }: { view: ReindexPolicyView }) {
  const isDefault = (key: Key) => view.defaulted.includes(key);
  return (
    <>
      <dl aria-label="Reindex policy" className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1.5 text-sm">
        {NUMBERS.map(({ key, label, unit }) => (
          <div key={key} className="contents">
            <dt className="text-muted-foreground">{label}</dt>
            <dd className="text-right tabular-nums">
              {shown(view.policy[key], unit)}
              {isDefault(key) && <span className="ml-1 text-xs text-muted-foreground">default</span>}
            </dd>
          </div>
        ))}
        <dt className="text-muted-foreground">Approver must be someone else</dt>
        <dd className="text-right">
          {yesNo(view.policy.distinctApprover)}
          {isDefault("distinctApprover") && <span className="ml-1 text-xs text-muted-foreground">default</span>}
        </dd>
      </dl>
      <p className="mt-3 text-xs text-muted-foreground">Only an admin can change the policy.</p>
    </>
  );
}

function PolicyForm({ collectionId, view }: { collectionId: string; view: ReindexPolicyView }) {
  const [{ result, values }, action, pending] = useRememberedAction(updatePolicyAction);
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const refused = result && !result.ok;
  // What the field holds: what was sent when refused, else the collection's own value (empty when it is the default).
  const valueOf = (key: Key) => (refused ? (values[key] ?? "") : view.defaulted.includes(key) ? "" : String(key === "distinctApprover" ? yesNo(view.policy[key]) : view.policy[key]));
  const formErrors = refused ? [result.formError, ...otherErrors(errors, [...NUMBERS.map((n) => n.key), "distinctApprover"])].filter((m): m is string => !!m) : [];
  return (
    <form action={action} noValidate aria-label="Reindex policy" className="space-y-3">
      <input type="hidden" name="collectionId" value={collectionId} />
      <FormErrors messages={formErrors} />
      {result?.ok && (
        <p role="status" className="text-sm text-success">
          Saved.
        </p>
      )}
      {NUMBERS.map(({ key, label, unit, hint }) => (
        <Field key={key} id={`policy-${key}`} label={unit === "hours" ? `${label} (hours)` : label} errors={errors?.[key]} hint={hint}>
          {(p) => (
            <Input
              {...p}
              // Keyed on what it shows, so a save (or a refusal) puts the new value in the field.
              key={valueOf(key)}
              name={key}
              type="number"
              inputMode="decimal"
              step={unit === "hours" ? 1 : "any"}
              min={unit === "hours" ? 1 : 0}
              max={unit === "hours" ? 720 : 1}
              placeholder={`${view.defaults[key]} (the default)`}
              defaultValue={valueOf(key)}
              className="tabular-nums"
            />
          )}
        </Field>
      ))}
      <Field id="policy-distinctApprover" label="Approver must be someone else" errors={errors?.distinctApprover} hint="When a reindex asks for approval, its requester cannot approve it.">
        {(p) => (
          <Select {...p} key={valueOf("distinctApprover")} name="distinctApprover" defaultValue={valueOf("distinctApprover")}>
            <option value="">Default ({yesNo(view.defaults.distinctApprover)})</option>
            <option value="yes">Yes</option>
            <option value="no">No</option>
          </Select>
        )}
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save policy"}
      </Button>
    </form>
  );
}
