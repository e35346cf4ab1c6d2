import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { listChannels } from "@/lib/services/alerts/list-channels";
import { listEscalationPolicies } from "@/lib/services/alerts/escalation-policies";
import { listAlertRules } from "@/lib/services/alerts/list-rules";
import { NoPermission } from "../../settings/no-permission";
import { createRuleAction, toggleRuleAction, updateRuleAction } from "../actions";
import { ActionForm } from "../_components/action-form";
import { AlertsNav } from "../_components/alerts-nav";
import { RulePreview } from "../_components/rule-preview";
import { OPERATORS, RuleFields } from "../_components/rule-fields";

export const metadata = { title: "Alert rules · Stevedore" };
export const dynamic = "force-dynamic";

export default async function RulesPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "alert.configure")) return <NoPermission title="Alert rules" />;
  const [rules, channels, policies] = await Promise.all([listAlertRules({ ctx }), listChannels({ ctx }), listEscalationPolicies({ ctx })]);
  const channelName = new Map(channels.map((c) => [c.id, c.name]));
  return (
    <>
      <PageHeader title="Alert rules" description="Each rule watches one source, optionally one label (e.g. collection=docs), and fires after its condition has held for its pending period." />
      <AlertsNav current="rules" />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Rules ({rules.length})</CardTitle>
        </CardHeader>
        <CardContent>
          <Table>
            <THead>
              <TR>
                <TH>Rule</TH>
                <TH>Condition</TH>
                <TH>Severity</TH>
                <TH>Channels</TH>
                <TH>State</TH>
              </TR>
            </THead>
            <TBody>
              {rules.map((r) => [
                <TR key={r.id}>
                  <TD>
                    <div className="font-medium">{r.name}</div>
                    <div className="text-xs text-muted-foreground">{r.description}</div>
                    {/* The rule's own fields, replayed as the add form's preview replays its fields. */}
                    <form aria-label={`Preview ${r.name}`} className="mt-1 min-w-[24rem]">
                      <input type="hidden" name="source" value={r.source} />
                      <input type="hidden" name="matchers" value={JSON.stringify(r.matchers)} />
                      <input type="hidden" name="operator" value={r.operator} />
                      <input type="hidden" name="threshold" value={String(r.threshold)} />
                      <input type="hidden" name="forSeconds" value={String(r.forSeconds)} />
                      <RulePreview />
                    </form>
                  </TD>
                  <TD className="text-sm">
                    {r.source}
                    {Object.entries(r.matchers).map(([k, v]) => `{${k}="${v}"}`).join("")} {OPERATORS[r.operator]} {r.threshold}
                    {r.forSeconds ? ` for ${r.forSeconds} s` : ""}
                  </TD>
                  <TD>
                    <Badge variant={r.severity === "critical" ? "destructive" : r.severity === "warning" ? "warning" : "secondary"}>{r.severity}</Badge>
                  </TD>
                  <TD className="text-sm">{r.channelIds.map((id) => channelName.get(id) ?? id).join(", ") || "none"}</TD>
                  <TD>
                    <ActionForm action={toggleRuleAction} hidden={{ ruleId: r.id, enabled: String(!r.enabled) }} submit={r.enabled ? "Disable" : "Enable"} label={`${r.enabled ? "Disable" : "Enable"} ${r.name}`} />
                  </TD>
                </TR>,
                <TR key={`${r.id}-edit`} className="hover:bg-transparent">
                  <TD colSpan={5} className="pt-0">
                    <details>
                      <summary className="cursor-pointer text-sm text-muted-foreground">Edit {r.name}</summary>
                      <div className="mt-2">
                        <ActionForm action={updateRuleAction} hidden={{ ruleId: r.id }} submit="Save rule" label={`Edit ${r.name}`} variant="default">
                          <RuleFields id={`rule-${r.id}`} rule={r} channels={channels} policies={policies} />
                        </ActionForm>
                      </div>
                    </details>
                  </TD>
                </TR>,
              ])}
            </TBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Add a rule</CardTitle>
        </CardHeader>
        <CardContent>
          <ActionForm action={createRuleAction} hidden={{}} submit="Add rule" label="Add rule" variant="default">
            <RuleFields id="rule" channels={channels} policies={policies} />
          </ActionForm>
        </CardContent>
      </Card>
    </>
  );
}
