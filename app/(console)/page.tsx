import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { listAuditEntries } from "@/lib/services/audit/list";
import { checkReadiness } from "@/lib/services/health/check-ready";
import { StatusBadge } from "./health/status-badge";

export const metadata = { title: "Overview · Stevedore" };

export default async function OverviewPage() {
  const ctx = await pageContext();
  const [readiness, recent] = await Promise.all([checkReadiness(), listAuditEntries({ ctx, input: { limit: 8 } })]);
  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${ctx.actor.email}.`} />
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>System health</CardTitle>
            <CardDescription>Checked {new Date(readiness.checkedAt).toLocaleTimeString("en-GB")}</CardDescription>
          </CardHeader>
          <CardContent className="space-y-2">
            <StatusBadge status={readiness.status} />
            <p className="text-sm">
              <Link className="underline" href="/health">
                Details
              </Link>
            </p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Recent activity</CardTitle>
            <CardDescription>The latest entries of the audit log</CardDescription>
          </CardHeader>
          <CardContent>
            <ul className="space-y-1 text-sm">
              {recent.rows.map((row) => (
                <li key={row.id} className="flex items-center justify-between gap-2">
                  <span className="truncate">
                    {row.actorEmail} · <span className="font-mono">{row.action}</span>
                  </span>
                  <Badge variant={row.outcome === "success" ? "success" : row.outcome === "denied" ? "warning" : "destructive"}>{row.outcome}</Badge>
                </li>
              ))}
            </ul>
            <p className="mt-3 text-sm">
              <Link className="underline" href="/audit">
                Open the audit log
              </Link>
            </p>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
