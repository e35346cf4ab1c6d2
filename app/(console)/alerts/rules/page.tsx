import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { SOURCES, SOURCE_NAMES } from "@/lib/alerts/sources";
import { listChannels } from "@/lib/services/alerts/list-channels";
import { listEscalationPolicies } from "@/lib/services/alerts/escalation-policies";
import { listAlertRules } from "@/lib/services/alerts/list-rules";
import { NoPermission } from "../../settings/no-permission";
import { createRuleAction, toggleRuleAction } from "../actions";
import { ActionForm } from "../_components/action-form";
import { AlertsNav } from "../_components/alerts-nav";
import { RulePreview } from "../_components/rule-preview";

export const metadata = { title: "Alert rules · Stevedore" };
export const dynamic = "force-dynamic";

const OPERATORS = { gt: ">", gte: "≥", lt: "<", lte: "≤", eq: "=" } as const;

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
              {rules.map((r) => (
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
                </TR>
              ))}
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
            <div className="grid w-full gap-3 md:grid-cols-3">
              <div className="space-y-1">
                <Label htmlFor="rule-name">Name</Label>
                <Input id="rule-name" name="name" required maxLength={120} />
              </div>
              <div className="space-y-1">
                <Label htmlFor="rule-source">Source</Label>
                <Select id="rule-source" name="source" defaultValue="dead_letters">
                  {SOURCE_NAMES.map((s) => (
                    <option key={s} value={s}>
                      {s} ({SOURCES[s].kind}): {SOURCES[s].help}
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1">
                <Label htmlFor="rule-matcher">Matcher (label=value, optional)</Label>
                <Input id="rule-matcher" name="matcher" placeholder="collection=docs" />
              </div>
              <div className="space-y-1">
                <Label htmlFor="rule-operator">Operator</Label>
                <Select id="rule-operator" name="operator" defaultValue="gt">
                  {Object.entries(OPERATORS).map(([k, v]) => (
                    <option key={k} value={k}>
                      {k} ({v})
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1">
                <Label htmlFor="rule-threshold">Threshold</Label>
                <Input id="rule-threshold" name="threshold" inputMode="decimal" defaultValue="0" />
              </div>
              <div className="space-y-1">
                <Label htmlFor="rule-forSeconds">For (seconds)</Label>
                <Input id="rule-forSeconds" name="forSeconds" inputMode="numeric" defaultValue="0" />
              </div>
              <div className="space-y-1">
                <Label htmlFor="rule-severity">Severity</Label>
                <Select id="rule-severity" name="severity" defaultValue="warning">
                  <option value="info">info</option>
                  <option value="warning">warning</option>
                  <option value="critical">critical</option>
                </Select>
              </div>
              <div className="space-y-1">
                <Label htmlFor="rule-channelIds">Channels</Label>
                <Select id="rule-channelIds" name="channelIds" multiple>
                  {channels.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} ({c.type})
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1">
                <Label htmlFor="rule-escalationPolicyId">Escalation policy</Label>
                <Select id="rule-escalationPolicyId" name="escalationPolicyId" defaultValue="">
                  <option value="">none</option>
                  {policies.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} ({p.levels.length} levels)
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1 md:col-span-3">
                <Label htmlFor="rule-description">Description ({"{{collection}}"}, {"{{value}}"}, {"{{threshold}}"}, {"{{rule}}"})</Label>
                <Input id="rule-description" name="description" maxLength={500} placeholder="{{collection}} has {{value}} dead letters" />
              </div>
              <RulePreview />
            </div>
          </ActionForm>
        </CardContent>
      </Card>
    </>
  );
}
