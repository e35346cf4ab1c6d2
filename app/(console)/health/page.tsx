import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { checkReadiness } from "@/lib/services/health/check-ready";
import { SelfTestButton } from "./_components/self-test-button";
import { StatusBadge } from "./status-badge";

export const metadata = { title: "Health · Stevedore" };
export const dynamic = "force-dynamic";

export default async function HealthPage() {
  const ctx = await pageContext();
  const readiness = await checkReadiness();
  return (
    <>
      <PageHeader title="Health" description="Readiness of every part the console depends on. Probes: GET /api/health (liveness) and GET /api/health/ready." />
      <Card>
        <CardHeader>
          <CardTitle>
            Overall: <StatusBadge status={readiness.status} />
          </CardTitle>
          <CardDescription>Checked at {new Date(readiness.checkedAt).toISOString()}</CardDescription>
        </CardHeader>
        <CardContent>
          <Table>
            <THead>
              <TR>
                <TH>Component</TH>
                <TH>Status</TH>
                <TH>Latency</TH>
                <TH>Detail</TH>
              </TR>
            </THead>
            <TBody>
              {readiness.checks.map((check) => (
                <TR key={check.name}>
                  <TD className="font-medium">{check.name}</TD>
                  <TD>
                    <StatusBadge status={check.status} />
                  </TD>
                  <TD>{check.latencyMs} ms</TD>
                  <TD className="text-muted-foreground">{[check.message, check.detail].filter(Boolean).join(" · ") || "—"}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </CardContent>
      </Card>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Durable execution self-test</CardTitle>
          <CardDescription>
            Starts a background operation with several steps, a sleep and a step that fails once and is retried, then opens it so you can watch its checkpoints.
          </CardDescription>
        </CardHeader>
        <CardContent>{can(ctx.actor.role, "operation.start") ? <SelfTestButton /> : <p className="text-sm text-muted-foreground">Operators and admins can run it.</p>}</CardContent>
      </Card>
    </>
  );
}
