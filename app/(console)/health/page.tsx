import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { checkReadiness } from "@/lib/services/health/check-ready";
import { StatusBadge } from "./status-badge";

export const metadata = { title: "Health · Stevedore" };
export const dynamic = "force-dynamic";

export default async function HealthPage() {
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
                  <TD className="text-muted-foreground">{check.message ?? "—"}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
