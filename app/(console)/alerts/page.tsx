import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { listAlerts } from "@/lib/services/alerts/list-alerts";
import { NoPermission } from "../settings/no-permission";
import { acknowledgeAction, resolveAction } from "./actions";
import { ActionForm } from "./_components/action-form";
import { AlertsNav } from "./_components/alerts-nav";

export const metadata = { title: "Alerts · Stevedore" };
export const dynamic = "force-dynamic";

const SECTIONS = [
  { status: "firing", title: "Firing" },
  { status: "acknowledged", title: "Acknowledged" },
  { status: "pending", title: "Pending" },
  { status: "resolved", title: "Resolved" },
] as const;

const severityVariant = { critical: "destructive", warning: "warning", info: "secondary" } as const;
const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 19).replace("T", " ")} UTC` : "");

export default async function AlertsPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "operation.read")) return <NoPermission title="Alerts" />;
  const rows = await listAlerts({ ctx, input: { limit: 500 } });
  const act = can(ctx.actor.role, "alert.acknowledge");
  return (
    <>
      <PageHeader title="Alerts" description="What the rules found, evaluated every 15 s. Acknowledge to say you have it (escalation stops); resolving clears the acknowledgement." />
      <AlertsNav current="alerts" />
      {SECTIONS.map(({ status, title }) => {
        const list = rows.filter((r) => r.alert.status === status);
        return (
          <Card key={status} className="mb-6" aria-label={`${title} alerts`}>
            <CardHeader>
              <CardTitle>
                {title} ({list.length})
              </CardTitle>
            </CardHeader>
            <CardContent>
              {list.length === 0 ? (
                <p className="text-sm text-muted-foreground">None.</p>
              ) : (
                <Table>
                  <THead>
                    <TR>
                      <TH>Severity</TH>
                      <TH>Alert</TH>
                      <TH>Since</TH>
                      <TH>{status === "acknowledged" ? "Acknowledged" : status === "resolved" ? "Resolved" : "Actions"}</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {list.map(({ alert, rule }) => (
                      <TR key={alert.id} data-alert-id={alert.id}>
                        <TD>
                          <Badge variant={severityVariant[rule.severity]}>{rule.severity}</Badge>
                        </TD>
                        <TD>
                          <Link href={`/alerts/${alert.id}`} className="font-medium hover:underline">
                            {rule.name}
                          </Link>
                          <div className="text-sm">{alert.summary}</div>
                          <div className="text-xs text-muted-foreground">{Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(", ")}</div>
                        </TD>
                        <TD className="text-xs">{when(alert.firedAt ?? alert.activeSince)}{alert.fireCount > 1 ? ` (fired ${alert.fireCount} times)` : ""}</TD>
                        <TD className="space-y-2">
                          {status === "acknowledged" && (
                            <p className="text-sm">
                              {alert.acknowledgedBy}, {when(alert.acknowledgedAt)}: {alert.ackReason}
                            </p>
                          )}
                          {status === "resolved" && <p className="text-sm">{when(alert.resolvedAt)}{alert.resolvedBy ? ` by ${alert.resolvedBy}: ${alert.resolveReason}` : ""}</p>}
                          {act && status === "firing" && (
                            <ActionForm action={acknowledgeAction} hidden={{ alertId: alert.id }} submit="Acknowledge" label={`Acknowledge ${rule.name}`}>
                              <Input name="reason" aria-label="Reason" placeholder="Reason" className="h-8 w-48" maxLength={500} />
                            </ActionForm>
                          )}
                          {act && status !== "resolved" && (
                            <ActionForm action={resolveAction} hidden={{ alertId: alert.id }} submit="Resolve" label={`Resolve ${rule.name}`}>
                              <Input name="reason" aria-label="Reason" placeholder="Reason" className="h-8 w-48" maxLength={500} />
                            </ActionForm>
                          )}
                        </TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
              )}
            </CardContent>
          </Card>
        );
      })}
    </>
  );
}
