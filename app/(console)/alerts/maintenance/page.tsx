import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { formatUtc } from "@/lib/format";
import { listCollections } from "@/lib/services/collection/read";
import { listMaintenanceWindows } from "@/lib/services/silences/windows";
import { NoPermission } from "../../settings/no-permission";
import { AlertsNav } from "../_components/alerts-nav";
import { ConfirmActionForm } from "../_components/confirm-action-form";
import { KeepingForm } from "../_components/keeping-form";
import { describeRecurrence, relativeTime } from "../_components/relative-time";
import { ScheduleFields } from "../_components/schedule-fields";
import { createWindowAction, endWindowAction } from "../silences/actions";

export const metadata = { title: "Maintenance windows · Stevedore" };
export const dynamic = "force-dynamic";

const stateVariant = { active: "default", scheduled: "secondary", ended: "outline" } as const;

export default async function MaintenancePage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "operation.read")) return <NoPermission title="Maintenance windows" />;
  const manage = can(ctx.actor.role, "silence.manage");
  const [windows, collections] = await Promise.all([listMaintenanceWindows({ ctx }), listCollections({ ctx })]);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Maintenance windows"
        description="While a window is open, a collection's alerts (or every alert, for all collections) are held, not sent. A reindex's switch, a replace-restore and a clear open one by themselves, closed when the operation ends however it ends."
      />
      <AlertsNav current="maintenance" />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Windows ({windows.length})</CardTitle>
        </CardHeader>
        <CardContent>
          {windows.length === 0 ? (
            <p className="text-sm text-muted-foreground">No window open, planned or ended in the last 7 days.</p>
          ) : (
            <Table>
              <THead>
                <TR>
                  <TH>Window</TH>
                  <TH>Collection</TH>
                  <TH>When</TH>
                  <TH>Ends</TH>
                  <TH>Held</TH>
                  {manage && <TH>End</TH>}
                </TR>
              </THead>
              <TBody>
                {windows.map((w) => (
                  <TR key={w.id}>
                    <TD>
                      <div className="font-medium">{w.name}</div>
                      {w.operation ? (
                        <Link href={`/operations/${w.operation.id}`} className="text-xs text-muted-foreground hover:underline">
                          automatic: {w.operation.type} ({w.operation.status})
                        </Link>
                      ) : (
                        w.comment && <div className="text-xs text-muted-foreground">{w.comment}</div>
                      )}
                    </TD>
                    <TD>{w.collection ?? "all collections"}</TD>
                    <TD>
                      <Badge variant={stateVariant[w.state as keyof typeof stateVariant]}>{w.state}</Badge> <span className="text-xs">{w.automatic ? "with its operation" : describeRecurrence(w.recurrence)}</span>
                    </TD>
                    <TD title={w.endsAt ? `${formatUtc(w.endsAt.toISOString())} UTC` : undefined}>
                      {w.state === "ended" ? (w.closedAt ? `ended ${relativeTime(w.closedAt, now)}` : `ended ${relativeTime(w.endsAt, now)}`) : w.automatic ? relativeTime(null) : relativeTime(w.state === "active" ? w.currentEnd : w.nextStart, now)}
                    </TD>
                    <TD>{w.held}</TD>
                    {manage && (
                      <TD>
                        {!w.automatic && w.state !== "ended" && (
                          <ConfirmActionForm
                            action={endWindowAction}
                            hidden={{ windowId: w.id }}
                            submit="End now"
                            label={`End window ${w.name}`}
                            title={`End the window “${w.name}” now?`}
                            description={`Alerts on ${w.collection ?? "every collection"} are notified again; those held and still firing are told at the next evaluation.`}
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
            <CardTitle>Plan a window</CardTitle>
          </CardHeader>
          <CardContent>
            <KeepingForm action={createWindowAction} submit="Plan window" label="Plan a window">
              <div className="grid w-full gap-3 md:grid-cols-2">
                <div className="space-y-1">
                  <Label htmlFor="w-name">Name</Label>
                  <Input id="w-name" name="name" placeholder="Disk replacement" />
                </div>
                <div className="space-y-1">
                  <Label htmlFor="w-collection">Collection</Label>
                  <Select id="w-collection" name="collectionId" defaultValue="">
                    <option value="">All collections</option>
                    {collections.map(({ collection }) => (
                      <option key={collection.id} value={collection.id}>
                        {collection.name}
                      </option>
                    ))}
                  </Select>
                </div>
                <ScheduleFields prefix="w" />
                <div className="space-y-1 md:col-span-2">
                  <Label htmlFor="w-comment">Note</Label>
                  <Input id="w-comment" name="comment" />
                </div>
              </div>
            </KeepingForm>
          </CardContent>
        </Card>
      )}
    </>
  );
}
