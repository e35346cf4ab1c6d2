import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { getAlertHistory } from "@/lib/services/alerts/alert-history";
import { ServiceError } from "@/lib/services/errors";
import { NoPermission } from "../../settings/no-permission";
import { acknowledgeAction, resolveAction } from "../actions";
import { ActionForm } from "../_components/action-form";
import { AlertsNav } from "../_components/alerts-nav";

export const metadata = { title: "Alert · Stevedore" };
export const dynamic = "force-dynamic";

const severityVariant = { critical: "destructive", warning: "warning", info: "secondary" } as const;
const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 19).replace("T", " ")} UTC` : "");

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "operation.read")) return <NoPermission title="Alert" />;
  const found = await getAlertHistory({ ctx, input: { alertId: id } }).catch((err) => {
    if (err instanceof ServiceError && (err.code === "not_found" || err.code === "invalid")) return null;
    throw err;
  });
  if (!found) notFound();
  const { alert, rule, transitions, deliveries } = found;
  const act = can(ctx.actor.role, "alert.acknowledge");
  return (
    <>
      <PageHeader title={`${rule.name}: ${alert.status}`} description={alert.summary} />
      <AlertsNav current="alerts" />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>
            <Badge variant={severityVariant[rule.severity]}>{rule.severity}</Badge> {Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "no labels"}
          </CardTitle>
        </CardHeader>
        <CardContent className="space-y-2 text-sm">
          <p>
            Value {alert.value} · fired {alert.fireCount} time{alert.fireCount === 1 ? "" : "s"}
            {alert.firedAt ? `, last at ${when(alert.firedAt)}` : ""}
          </p>
          {alert.acknowledgedBy && (
            <p data-testid="acknowledged-by">
              Acknowledged by <strong>{alert.acknowledgedBy}</strong> at {when(alert.acknowledgedAt)}: {alert.ackReason}
            </p>
          )}
          {alert.resolvedAt && <p>Resolved at {when(alert.resolvedAt)}{alert.resolvedBy ? ` by ${alert.resolvedBy}: ${alert.resolveReason}` : " (the condition ended)"}</p>}
          <div className="flex flex-wrap gap-4">
            {act && alert.status === "firing" && (
              <ActionForm action={acknowledgeAction} hidden={{ alertId: alert.id }} submit="Acknowledge" label="Acknowledge this alert">
                <Input name="reason" aria-label="Reason" placeholder="Reason" className="h-8 w-56" maxLength={500} />
              </ActionForm>
            )}
            {act && alert.status !== "resolved" && (
              <ActionForm action={resolveAction} hidden={{ alertId: alert.id }} submit="Resolve" label="Resolve this alert">
                <Input name="reason" aria-label="Reason" placeholder="Reason" className="h-8 w-56" maxLength={500} />
              </ActionForm>
            )}
          </div>
        </CardContent>
      </Card>
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>History ({transitions.length})</CardTitle>
        </CardHeader>
        <CardContent>
          {transitions.length === 0 ? (
            <p className="text-sm text-muted-foreground">No change recorded yet.</p>
          ) : (
            <Table aria-label="History">
              <THead>
                <TR>
                  <TH>When</TH>
                  <TH>Change</TH>
                  <TH>By</TH>
                  <TH>Reason</TH>
                </TR>
              </THead>
              <TBody>
                {transitions.map((t) => (
                  <TR key={t.id}>
                    <TD className="text-xs">{when(t.at)}</TD>
                    <TD>
                      {t.fromStatus ?? "new"} → {t.toStatus}
                    </TD>
                    <TD className="text-sm">{t.by ?? "evaluator"}</TD>
                    <TD className="text-sm">{t.reason ?? ""}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Notifications ({deliveries.length})</CardTitle>
        </CardHeader>
        <CardContent>
          {deliveries.length === 0 ? (
            <p className="text-sm text-muted-foreground">No notification sent for this alert.</p>
          ) : (
            <Table aria-label="Notifications">
              <THead>
                <TR>
                  <TH>When</TH>
                  <TH>Channel or user</TH>
                  <TH>Kind</TH>
                  <TH>Attempt</TH>
                  <TH>Outcome</TH>
                </TR>
              </THead>
              <TBody>
                {deliveries.map((d) => (
                  <TR key={d.id}>
                    <TD className="text-xs">{when(d.createdAt)}</TD>
                    <TD className="text-sm">
                      {d.channel ? `${d.channel} (${d.channelType})` : d.recipient ? `User ${d.userName ?? "(deleted)"} <${d.recipient}> (email)` : "deleted channel"}
                    </TD>
                    <TD className="text-sm">
                      {d.kind}
                      {d.grouped > 1 ? ` (with ${d.grouped - 1} other alert${d.grouped === 2 ? "" : "s"})` : ""}
                    </TD>
                    <TD>{d.attempt}</TD>
                    <TD className="text-sm">
                      <Badge variant={d.status === "sent" ? "success" : "destructive"}>{d.status}</Badge> {d.responseCode ?? ""} · {d.latencyMs} ms{d.error ? ` · ${d.error}` : ""}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </>
  );
}
