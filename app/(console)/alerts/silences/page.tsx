import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { formatUtc } from "@/lib/format";
import { listChannels } from "@/lib/services/alerts/list-channels";
import { listSilences, listSuppressedAlerts } from "@/lib/services/silences/read-silences";
import { describeMatcher } from "@/lib/silences/matchers";
import { NoPermission } from "../../settings/no-permission";
import { AlertsNav } from "../_components/alerts-nav";
import { ConfirmActionForm } from "../_components/confirm-action-form";
import { KeepingForm } from "../_components/keeping-form";
import { describeRecurrence, relativeTime } from "../_components/relative-time";
import { ScheduleFields } from "../_components/schedule-fields";
import { createSilenceAction, expireSilenceAction } from "./actions";

export const metadata = { title: "Silences · Stevedore" };
export const dynamic = "force-dynamic";

const stateVariant = { active: "default", pending: "secondary", expired: "outline" } as const;

export default async function SilencesPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "operation.read")) return <NoPermission title="Silences" />;
  const manage = can(ctx.actor.role, "silence.manage");
  const [suppressed, silences, channels] = await Promise.all([listSuppressedAlerts({ ctx }), listSilences({ ctx }), can(ctx.actor.role, "alert.configure") ? listChannels({ ctx }) : Promise.resolve([])]);
  const now = new Date();
  return (
    <>
      <PageHeader title="Silences" description="Hold the notifications (and escalation) of the alerts that match, while someone works on it. When a silence ends, an alert that still fires is told once." />
      <AlertsNav current="silences" />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Currently suppressed ({suppressed.length})</CardTitle>
        </CardHeader>
        <CardContent>
          {suppressed.length === 0 ? (
            <p className="text-sm text-muted-foreground">No open alert is held by a silence or maintenance window.</p>
          ) : (
            <Table>
              <THead>
                <TR>
                  <TH>Alert</TH>
                  <TH>Held by</TH>
                  <TH>Until</TH>
                  <TH>Held notifications</TH>
                </TR>
              </THead>
              <TBody>
                {suppressed.map((s) => (
                  <TR key={s.alert.id}>
                    <TD>
                      <a href={`/alerts/${s.alert.id}`} className="font-medium hover:underline">
                        {s.rule.name}
                      </a>
                      <div className="text-xs text-muted-foreground">{Object.entries(s.alert.labels).map(([k, v]) => `${k}=${v}`).join(", ")}</div>
                    </TD>
                    <TD>
                      <Badge variant="outline">{s.by.kind === "silence" ? "silence" : "maintenance window"}</Badge> {s.by.name}
                    </TD>
                    <TD title={s.by.until ? `${formatUtc(s.by.until.toISOString())} UTC` : undefined}>{relativeTime(s.by.until, now)}</TD>
                    <TD>{s.heldNotifications}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Silences ({silences.length})</CardTitle>
        </CardHeader>
        <CardContent>
          {silences.length === 0 ? (
            <p className="text-sm text-muted-foreground">No silences in the last 30 days.</p>
          ) : (
            <Table>
              <THead>
                <TR>
                  <TH>Matchers</TH>
                  <TH>Why</TH>
                  <TH>When</TH>
                  <TH>Ends</TH>
                  <TH>Held</TH>
                  {manage && <TH>Expire</TH>}
                </TR>
              </THead>
              <TBody>
                {silences.map((s) => (
                  <TR key={s.id}>
                    <TD className="font-mono text-xs">{s.matchers.map(describeMatcher).join(", ")}</TD>
                    <TD>
                      <div>{s.comment}</div>
                      <div className="text-xs text-muted-foreground">by {s.createdByEmail}{s.expiredBy ? `, expired by ${s.expiredBy}` : ""}</div>
                    </TD>
                    <TD>
                      <Badge variant={stateVariant[s.state]}>{s.state}</Badge> <span className="text-xs">{describeRecurrence(s.recurrence)}</span>
                    </TD>
                    <TD title={`${formatUtc(s.endsAt.toISOString())} UTC`}>{relativeTime(s.state === "active" && s.currentEnd ? s.currentEnd : s.endsAt, now)}</TD>
                    <TD>{s.held}</TD>
                    {manage && (
                      <TD>
                        {s.state !== "expired" && (
                          <ConfirmActionForm
                            action={expireSilenceAction}
                            hidden={{ silenceId: s.id }}
                            submit="Expire"
                            label={`Expire silence ${s.comment}`}
                            title={`Expire the silence “${s.comment}”?`}
                            description={`It ends now. Alerts it holds (${s.matchers.map(describeMatcher).join(", ")}) that still fire are notified at the next evaluation.`}
                          />
                        )}
                      </TD>
                    )}
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </CardContent>
      </Card>
      {manage && (
        <Card className="mb-6">
          <CardHeader>
            <CardTitle>New silence</CardTitle>
          </CardHeader>
          <CardContent>
            <KeepingForm action={createSilenceAction} submit="Add silence" label="New silence">
              <div className="grid w-full gap-3 md:grid-cols-2">
                <div className="space-y-1 md:col-span-2">
                  <Label htmlFor="s-matchers">Matchers, one a line: label=value, label!=value, label=~regex (whole value, RE2), label!~regex. Labels: the alert&apos;s own, alertname, severity.</Label>
                  <Textarea id="s-matchers" name="matchers" rows={3} placeholder={"collection=docs\nalertname=~Backup.*"} />
                </div>
                <div className="space-y-1 md:col-span-2">
                  <Label htmlFor="s-comment">Why</Label>
                  <Input id="s-comment" name="comment" placeholder="Moving the backup disk" />
                </div>
                <ScheduleFields prefix="s" />
                {channels.length > 0 && (
                  <fieldset className="space-y-1 md:col-span-2">
                    <legend className="text-sm font-medium">Remind these channels 30 min before a silence of over 4 h ends (you are reminded by email)</legend>
                    <div className="flex flex-wrap gap-3 text-sm">
                      {channels.map((c) => (
                        <label key={c.id} className="flex items-center gap-1">
                          <input type="checkbox" name="reminderChannelIds" value={c.id} /> {c.name}
                        </label>
                      ))}
                    </div>
                  </fieldset>
                )}
              </div>
            </KeepingForm>
          </CardContent>
        </Card>
      )}
    </>
  );
}
