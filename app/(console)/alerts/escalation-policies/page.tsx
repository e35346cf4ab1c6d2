import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { listChannels } from "@/lib/services/alerts/list-channels";
import { listEscalationPolicies, listNotifiableUsers } from "@/lib/services/alerts/escalation-policies";
import { listAlertRules } from "@/lib/services/alerts/list-rules";
import { NoPermission } from "../../settings/no-permission";
import { AlertsNav } from "../_components/alerts-nav";
import { DeletePolicyButton, PolicyForm } from "../_components/policy-forms";

export const metadata = { title: "Escalation policies · Stevedore" };
export const dynamic = "force-dynamic";

const delay = (s: number) => (s === 0 ? "at once" : s % 3600 === 0 ? `after ${s / 3600} h` : s % 60 === 0 ? `after ${s / 60} min` : `after ${s} s`);

export default async function EscalationPoliciesPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "alert.configure")) return <NoPermission title="Escalation policies" />;
  const [policies, channels, rules, users] = await Promise.all([listEscalationPolicies({ ctx }), listChannels({ ctx }), listAlertRules({ ctx }), listNotifiableUsers({ ctx })]);
  const channelName = new Map(channels.map((c) => [c.id, c.name]));
  const userName = new Map(users.map((u) => [u.id, `${u.name} (email)`]));
  const options = channels.map((c) => ({ id: c.id, name: c.name, type: c.type }));
  return (
    <>
      <PageHeader title="Escalation policies" description="Who hears of a firing alert, and when, while no one acknowledges it. A rule picks its policy on the Rules page." />
      <AlertsNav current="policies" />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Policies ({policies.length})</CardTitle>
        </CardHeader>
        <CardContent>
          {policies.length === 0 ? (
            <p className="text-sm text-muted-foreground">No policy yet: add one below.</p>
          ) : (
            <Table>
              <THead>
                <TR>
                  <TH>Policy</TH>
                  <TH>Levels</TH>
                  <TH>Repeat</TH>
                  <TH>Rules</TH>
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                </TR>
              </THead>
              <TBody>
                {policies.map((p) => {
                  const used = rules.filter((r) => r.escalationPolicyId === p.id).length;
                  return (
                    <TR key={p.id}>
                      <TD className="align-top font-medium">{p.name}</TD>
                      <TD className="align-top text-sm">
                        <ol className="list-decimal pl-4">
                          {p.levels.map((l, i) => (
                            <li key={i}>
                              {[...l.channelIds.map((id) => channelName.get(id) ?? "deleted channel"), ...(l.userIds ?? []).map((id) => userName.get(id) ?? "deleted or disabled user")].join(", ")} {delay(l.delaySeconds)}
                            </li>
                          ))}
                        </ol>
                      </TD>
                      <TD className="align-top text-sm">{p.repeatLastLevel ? `last level ${p.repeatLastLevel} more times` : "no"}</TD>
                      <TD className="align-top text-sm">{used}</TD>
                      <TD className="align-top">
                        <div className="flex flex-wrap items-start gap-2">
                          <details className="min-w-0">
                            <summary className="cursor-pointer text-sm underline">Edit</summary>
                            <div className="mt-2 rounded-md border p-3">
                              <PolicyForm channels={options} users={users} policy={{ id: p.id, name: p.name, levels: p.levels, repeatLastLevel: p.repeatLastLevel }} />
                            </div>
                          </details>
                          <DeletePolicyButton policyId={p.id} name={p.name} rules={used} />
                        </div>
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Add a policy</CardTitle>
        </CardHeader>
        <CardContent>
          <PolicyForm channels={options} users={users} />
        </CardContent>
      </Card>
    </>
  );
}
