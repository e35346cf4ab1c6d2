import Link from "next/link";
import { Button, buttonVariants } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatCount } from "@/lib/format";

type Kind = { errorStage: string | null; errorClass: string | null; n: number };

const filterHref = (base: string, kind: Kind) => {
  const params = new URLSearchParams();
  if (kind.errorStage) params.set("errorStage", kind.errorStage);
  if (kind.errorClass) params.set("errorClass", kind.errorClass);
  return `${base}?${params}`;
};

export function DeadLetterSummary({ base, summary }: { base: string; summary: Kind[] }) {
  if (summary.length === 0) return <p className="py-8 text-center text-sm text-muted-foreground">No dead letters: every document either completed or is still on its way.</p>;
  return (
    <section aria-labelledby="dl-summary-heading" className="mb-6">
      <h2 id="dl-summary-heading" className="mb-2 text-lg font-semibold">
        By stage and error class
      </h2>
      <Table aria-label="Dead letters by stage and error class">
        <THead>
          <TR>
            <TH>Stage</TH>
            <TH>Error class</TH>
            <TH className="text-right">Documents</TH>
          </TR>
        </THead>
        <TBody>
          {summary.map((kind) => (
            <TR key={`${kind.errorStage}/${kind.errorClass}`}>
              <TD className="font-mono">{kind.errorStage ?? "—"}</TD>
              <TD>
                <Link href={filterHref(base, kind)} className="font-mono underline-offset-2 hover:underline">
                  {kind.errorClass ?? "(none)"}
                </Link>
              </TD>
              <TD className="text-right tabular-nums">{formatCount(kind.n)}</TD>
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
        <Label htmlFor="dl-class">Error class</Label>
        <Select id="dl-class" name="errorClass" defaultValue={values.errorClass ?? ""}>
          <option value="">any</option>
          {classes.map((c) => (
            <option key={c}>{c}</option>
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
