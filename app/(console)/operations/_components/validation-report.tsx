import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatCount, formatUtc } from "@/lib/format";
import type { Gate, ValidationReport } from "@/lib/reindex/validate";
import { GATE_LABELS, isGated } from "@/lib/reindex-display";

export type RollbackCheck = { points: number; expectedPoints: number; dimension: number; expectedDimension: number; documentsAddedSince: number };

const ratio = (x: number | null | undefined) => (x === null || x === undefined ? "—" : x.toFixed(3));

function PassFail({ passed, gated = true }: { passed: boolean; gated?: boolean }) {
  if (!gated) return <Badge variant="secondary">not gated</Badge>;
  return <Badge variant={passed ? "success" : "destructive"}>{passed ? "pass" : "fail"}</Badge>;
}

function gateValue(gate: Gate): string {
  if (gate.value === null) return "—";
  if (gate.name === "count") return `${formatCount(gate.value)} points`;
  if (gate.name === "dimension") return formatCount(gate.value);
  return ratio(gate.value);
}

/** "5 of 5 gates passed · overlap 0.933 · recall 1.000 (live 1.000)": what an approver reads first. */
export function reportSummary(report: ValidationReport): string {
  const gated = report.gates.filter(isGated);
  const passed = gated.filter((g) => g.passed).length;
  return [
    `${passed} of ${gated.length} gates passed`,
    `${formatCount(report.points)} of ${formatCount(report.expectedPoints)} expected points`,
    report.overlap !== null && `top-${report.k} overlap ${ratio(report.overlap)}`,
    report.recallNew !== null && `recall ${ratio(report.recallNew)} (live ${ratio(report.recallOld)})`,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** The gates with their values and thresholds, then the per-query comparison, folded away by default. */
export function ValidationReportView({ report }: { report: ValidationReport }) {
  const samples = report.queries.filter((q) => q.kind === "sample").length;
  return (
    <section aria-labelledby="validation-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id="validation-heading" className="text-lg font-semibold">
          Validation report
        </h2>
        <Badge variant={report.passed ? "success" : "destructive"} data-testid="validation-verdict">
          {report.passed ? "passed" : "failed"}
        </Badge>
        <span className="text-sm text-muted-foreground">
          {reportSummary(report)} · checked {formatUtc(report.checkedAt)} UTC
        </span>
      </div>
      <Table aria-label="Validation gates">
        <THead>
          <TR>
            <TH>Gate</TH>
            <TH>Result</TH>
            <TH>Value</TH>
            <TH>Threshold</TH>
            <TH>What it measures</TH>
          </TR>
        </THead>
        <TBody>
          {report.gates.map((gate) => (
            <TR key={gate.name}>
              <TD className="whitespace-nowrap font-medium">{GATE_LABELS[gate.name] ?? gate.name}</TD>
              <TD>
                <PassFail passed={gate.passed} gated={isGated(gate)} />
              </TD>
              <TD className="whitespace-nowrap font-mono text-xs tabular-nums">{gateValue(gate)}</TD>
              <TD className="font-mono text-xs">{gate.threshold}</TD>
              <TD className="text-sm text-muted-foreground">{gate.detail}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      {report.queries.length > 0 && (
        <details className="rounded-lg border">
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium">
            Per-query results: {report.queries.length} queries ({samples} drawn from the documents, {report.queries.length - samples} golden)
          </summary>
          <div className="border-t px-1 pb-1">
            <Table aria-label="Validation queries">
              <THead>
                <TR>
                  <TH>Kind</TH>
                  <TH>Query from</TH>
                  <TH title={`Share of the live version's top-${report.k} documents the new version also returns`}>Overlap</TH>
                  <TH title="Share of the expected documents found in the top k">Recall live → new</TH>
                  <TH title="The best hit's score">Best score live → new</TH>
                </TR>
              </THead>
              <TBody>
                {report.queries.map((q, i) => (
                  <TR key={`${q.label}-${i}`}>
                    <TD>{q.kind}</TD>
                    <TD className="max-w-md break-all font-mono text-xs">{q.label}</TD>
                    <TD className="font-mono text-xs tabular-nums">{ratio(q.overlap)}</TD>
                    <TD className="font-mono text-xs tabular-nums">
                      {ratio(q.recallOld)} → {ratio(q.recallNew)}
                    </TD>
                    <TD className="font-mono text-xs tabular-nums">
                      {ratio(q.scoreOld)} → {ratio(q.scoreNew)}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </div>
        </details>
      )}
    </section>
  );
}

/** A ROLLBACK's checks of the retired version before the switch back. */
export function RollbackCheckView({ check }: { check: RollbackCheck }) {
  const rows = [
    { name: "Point count", passed: check.points === check.expectedPoints, value: `${formatCount(check.points)} points`, threshold: `${formatCount(check.expectedPoints)} points` },
    { name: "Dimension", passed: check.dimension === check.expectedDimension, value: formatCount(check.dimension), threshold: formatCount(check.expectedDimension) },
    { name: "Documents added since the switch", passed: check.documentsAddedSince === 0, value: formatCount(check.documentsAddedSince), threshold: "0" },
  ];
  return (
    <section aria-labelledby="validation-heading" className="space-y-3">
      <h2 id="validation-heading" className="text-lg font-semibold">
        Rollback checks
      </h2>
      <Table aria-label="Validation gates">
        <THead>
          <TR>
            <TH>Check</TH>
            <TH>Result</TH>
            <TH>Value</TH>
            <TH>Expected</TH>
          </TR>
        </THead>
        <TBody>
          {rows.map((r) => (
            <TR key={r.name}>
              <TD className="font-medium">{r.name}</TD>
              <TD>
                <PassFail passed={r.passed} />
              </TD>
              <TD className="font-mono text-xs tabular-nums">{r.value}</TD>
              <TD className="font-mono text-xs tabular-nums">{r.threshold}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </section>
  );
}
