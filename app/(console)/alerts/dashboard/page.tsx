import { AlertTimelineChart, FiringBySeverityChart } from "@/components/charts/alert-charts";
import { alertTimeline, firingBySeverity, formatDuration, noisiestRules, ruleResponseTimes } from "@/components/charts/alert-dashboard-data";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { getAlertDashboard } from "@/lib/services/alerts/alert-history";
import { NoPermission } from "../../settings/no-permission";
import { AlertsNav } from "../_components/alerts-nav";

export const metadata = { title: "Alerts dashboard · Stevedore" };
export const dynamic = "force-dynamic";

export default async function AlertsDashboardPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "operation.read")) return <NoPermission title="Alerts dashboard" />;
  const now = new Date();
  const data = await getAlertDashboard({ ctx, now });
  const names = new Map(data.rules.map((r) => [r.id, r.name]));
  const times = ruleResponseTimes(data.transitions);
  const noisy = noisiestRules(data.transitions, names);
  return (
    <>
      <PageHeader title="Alerts dashboard" description="What fires now, the last 24 hours, and how fast alerts are taken in hand (MTTA) and ended (MTTR)." />
      <AlertsNav current="dashboard" />
      {data.truncated && <p className="mb-4 text-sm text-warning">Only the latest 50,000 changes of the last 24 h are counted.</p>}
      <div className="mb-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Firing now, by severity</CardTitle>
          </CardHeader>
          <CardContent>
            <FiringBySeverityChart points={firingBySeverity(data.open)} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Last 24 hours</CardTitle>
          </CardHeader>
          <CardContent>
            <AlertTimelineChart points={alertTimeline(data.transitions, now)} />
          </CardContent>
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Response times per rule (24 h)</CardTitle>
          </CardHeader>
          <CardContent>
            {times.length === 0 ? (
              <p className="text-sm text-muted-foreground">No alert fired in the last 24 hours.</p>
            ) : (
              <Table>
                <THead>
                  <TR>
                    <TH>Rule</TH>
                    <TH>Firings</TH>
                    <TH>MTTA</TH>
                    <TH>MTTR</TH>
                  </TR>
                </THead>
                <TBody>
                  {times.map((r) => (
                    <TR key={r.ruleId}>
                      <TD>{names.get(r.ruleId) ?? "deleted rule"}</TD>
                      <TD>{r.firings}</TD>
                      <TD>{formatDuration(r.mttaSeconds)}</TD>
                      <TD>{formatDuration(r.mttrSeconds)}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Noisiest rules (24 h)</CardTitle>
          </CardHeader>
          <CardContent>
            {noisy.length === 0 ? (
              <p className="text-sm text-muted-foreground">No alert fired in the last 24 hours.</p>
            ) : (
              <ol className="list-decimal space-y-1 pl-5 text-sm">
                {noisy.map((n) => (
                  <li key={n.rule}>
                    {n.rule}: {n.firings} firing{n.firings === 1 ? "" : "s"}
                  </li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
