import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { listChannels, listDeliveries } from "@/lib/services/alerts/list-channels";
import { NoPermission } from "../../settings/no-permission";
import { createChannelAction, sendTestAction } from "../actions";
import { ActionForm } from "../_components/action-form";
import { AlertsNav } from "../_components/alerts-nav";

export const metadata = { title: "Alert channels · Stevedore" };
export const dynamic = "force-dynamic";

const target = (config: Record<string, unknown>) => (Array.isArray(config.to) ? config.to.join(", ") : String(config.url ?? ""));

export default async function ChannelsPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "alert.configure")) return <NoPermission title="Alert channels" />;
  const [channels, deliveries] = await Promise.all([listChannels({ ctx }), listDeliveries({ ctx, input: { limit: 200 } })]);
  return (
    <>
      <PageHeader title="Alert channels" description="Where notifications go. Webhooks are signed (x-stevedore-signature over timestamp and body); every attempt is in the delivery log, failed ones retried with backoff." />
      <AlertsNav current="channels" />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Channels ({channels.length})</CardTitle>
        </CardHeader>
        <CardContent>
          <Table>
            <THead>
              <TR>
                <TH>Channel</TH>
                <TH>Sends to</TH>
                <TH>Test</TH>
              </TR>
            </THead>
            <TBody>
              {channels.map((c) => (
                <TR key={c.id}>
                  <TD>
                    <div className="font-medium">{c.name}</div>
                    <Badge variant="outline">{c.type}</Badge> {!c.enabled && <Badge variant="secondary">disabled</Badge>}
                  </TD>
                  <TD className="break-all text-sm">{target(c.config as Record<string, unknown>)}</TD>
                  <TD>
                    <ActionForm action={sendTestAction} hidden={{ channelId: c.id }} submit="Send test" label={`Send test to ${c.name}`} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </CardContent>
      </Card>
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Add a channel</CardTitle>
        </CardHeader>
        <CardContent>
          <ActionForm action={createChannelAction} hidden={{}} submit="Add channel" label="Add channel" variant="default">
            <div className="grid w-full gap-3 md:grid-cols-3">
              <div className="space-y-1">
                <Label htmlFor="channel-name">Name</Label>
                <Input id="channel-name" name="name" required maxLength={120} />
              </div>
              <div className="space-y-1">
                <Label htmlFor="channel-type">Type</Label>
                <Select id="channel-type" name="type" defaultValue="webhook">
                  <option value="email">email</option>
                  <option value="slack">Slack incoming webhook</option>
                  <option value="webhook">webhook (signed)</option>
                </Select>
              </div>
              <div className="space-y-1">
                <Label htmlFor="channel-target">Addresses (comma-separated) or URL</Label>
                <Input id="channel-target" name="target" required />
              </div>
            </div>
          </ActionForm>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Delivery log</CardTitle>
        </CardHeader>
        <CardContent>
          <Table aria-label="Delivery log">
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Channel or user</TH>
                <TH>Kind</TH>
                <TH>Attempt</TH>
                <TH>Status</TH>
                <TH>Latency</TH>
                <TH>Code</TH>
                <TH>Error</TH>
              </TR>
            </THead>
            <TBody>
              {deliveries.map(({ delivery: d, channelName, userName }) => (
                <TR key={d.id}>
                  <TD className="text-xs">{d.createdAt.toISOString().slice(0, 19).replace("T", " ")}</TD>
                  <TD>{d.channelId ? channelName : `User ${userName ?? "(deleted)"} <${d.recipient}> (email)`}</TD>
                  <TD>{d.kind}</TD>
                  <TD>{d.attempt}</TD>
                  <TD>
                    <Badge variant={d.status === "sent" ? "success" : "destructive"}>{d.status}</Badge>
                  </TD>
                  <TD>{d.latencyMs} ms</TD>
                  <TD>{d.responseCode ?? ""}</TD>
                  <TD className="text-sm">{d.error ?? ""}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
