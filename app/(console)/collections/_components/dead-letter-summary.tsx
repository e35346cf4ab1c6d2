import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatCount } from "@/lib/format";
import { deadReason, deadReasonOf } from "@/lib/services/collection/dead-reasons";

type Kind = { errorStage: string | null; errorClass: string | null; originalErrorClass: string | null; n: number };

const filterHref = (base: string, kind: Kind) => {
  const params = new URLSearchParams();
  if (kind.errorStage) params.set("errorStage", kind.errorStage);
  if (kind.errorClass) params.set("errorClass", kind.errorClass);
  return `${base}?${params}`;
};

/** Each kind of failure with whether a retry can help and what to do; a row opens the dead letters of that kind. */
export function DeadLetterSummary({ base, summary }: { base: string; summary: Kind[] }) {
  if (summary.length === 0) return <p className="py-8 text-center text-sm text-muted-foreground">No dead letters: every document either completed or is still on its way.</p>;
  return (
    <section aria-labelledby="dl-summary-heading" className="mb-6">
      <h2 id="dl-summary-heading" className="mb-2 text-lg font-semibold">
        By reason
      </h2>
      <Table aria-label="Dead letters by reason">
        <THead>
          <TR>
            <TH>Stage</TH>
            <TH>Reason</TH>
            <TH className="text-right">Documents</TH>
            <TH>Retry can help</TH>
            <TH>What to do</TH>
          </TR>
        </THead>
        <TBody>
          {summary.map((kind) => {
            const reason = deadReasonOf(kind.errorClass, kind.originalErrorClass);
            return (
              <TR key={`${kind.errorStage}/${kind.errorClass}/${kind.originalErrorClass}`}>
                <TD className="font-mono">{kind.errorStage ?? "—"}</TD>
                <TD>
                  <Link href={filterHref(base, kind)} className="underline-offset-2 hover:underline">
                    {reason.label}
                  </Link>
                  <span className="block font-mono text-xs text-muted-foreground">{kind.errorClass ?? "(none)"}</span>
                </TD>
                <TD className="text-right tabular-nums">{formatCount(kind.n)}</TD>
                <TD>{reason.retryable ? <Badge variant="secondary">yes</Badge> : <Badge variant="outline">no</Badge>}</TD>
                <TD className="max-w-md text-xs">{reason.advice}</TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </section>
  );
}

type ExtensionRow = { extension: string | null; n: number; classes: Array<{ errorClass: string | null; n: number }> };

/** Which kinds of file fail: often one extension explains most of the dead letters. */
export function DeadLettersByExtension({ rows }: { rows: ExtensionRow[] }) {
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="dl-extension-heading" className="mb-6">
      <h2 id="dl-extension-heading" className="mb-2 text-lg font-semibold">
        By file extension
      </h2>
      <Table aria-label="Dead letters by file extension">
        <THead>
          <TR>
            <TH>Extension</TH>
            <TH className="text-right">Documents</TH>
            <TH>Reasons</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => (
            <TR key={row.extension ?? ""}>
              <TD className="font-mono">{row.extension ?? "(none)"}</TD>
              <TD className="text-right tabular-nums">{formatCount(row.n)}</TD>
              <TD className="text-xs">{row.classes.map((c) => `${deadReason(c.errorClass).label} ${formatCount(c.n)}`).join(" · ")}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </section>
  );
}

/** A GET form: the filter is in the URL, and "Retry all matching" retries exactly what it shows. */
export function DeadLetterFilters({ base, summary, values }: { base: string; summary: Kind[]; values: Record<string, string> }) {
  const stages = [...new Set(summary.map((s) => s.errorStage).filter((s): s is string => !!s))].sort();
  const classes = [...new Set(summary.map((s) => s.errorClass).filter((s): s is string => !!s))].sort();
  return (
    <form method="get" action={base} aria-label="Filter dead letters" className="mb-4 flex flex-wrap items-end gap-3">
      <div className="space-y-1">
        <Label htmlFor="dl-stage">Error stage</Label>
        <Select id="dl-stage" name="errorStage" defaultValue={values.errorStage ?? ""}>
          <option value="">any</option>
          {stages.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor="dl-class">Reason</Label>
        <Select id="dl-class" name="errorClass" defaultValue={values.errorClass ?? ""}>
          <option value="">any</option>
          {classes.map((c) => (
            <option key={c} value={c}>
              {deadReason(c).label} ({c})
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit">Apply filters</Button>
      <Link href={base} className={buttonVariants({ variant: "ghost" })}>
        Clear
      </Link>
    </form>
  );
}
