import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { formatCount } from "@/lib/format";
import { getQuotas } from "@/lib/services/quota/get";
import { NoPermission } from "../no-permission";
import { QuotaForm } from "./_components/quota-form";
import { QUOTA_FIELDS } from "./fields";

export const metadata = { title: "Quotas · Stevedore" };

const limit = (n: number | null) => (n === null ? "no limit" : formatCount(n));
const changed = (q: { updatedAt: Date | null; updatedBy: string | null }) =>
  q.updatedAt ? `Last changed ${q.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC${q.updatedBy ? ` by ${q.updatedBy}` : ""}.` : "Never set: no limits.";

export default async function QuotasPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "quota.read")) return <NoPermission title="Quotas" />;
  // A viewer starts nothing, so a viewer's limits would limit nothing: only roles that start operations are shown.
  const quotas = (await getQuotas({ ctx })).filter((q) => can(q.role, "operation.start"));
  const manage = can(ctx.actor.role, "quota.manage");
  return (
    <>
      <PageHeader
        title="Quotas"
        description="Limits per role, checked on the server before an operation starts. A refused start says which limit it would pass and by how much; nothing is created."
      />
      <Card className="mb-6">
        <CardContent className="space-y-2 pt-6 text-sm text-muted-foreground">
          <p>
            <strong className="text-foreground">An empty field means no limit</strong>: users of that role are held back only by the disk. 0 allows none at all. Viewers start no
            operations, so they have no limits.
          </p>
          <p>
            Each user counts on their own: an API token counts as its owner, under the token&rsquo;s role. Points are estimated from the size of the files before indexing starts, and the
            estimate errs high. Every start also needs its estimated disk free, beside what operations under way have reserved and the margin kept free (STEVEDORE_DISK_MARGIN_BYTES).
          </p>
        </CardContent>
      </Card>
      {manage ? (
        <div className="grid gap-4 lg:grid-cols-2">
          {quotas.map((q) => (
            <Card key={q.role}>
              <CardHeader>
                <CardTitle className="capitalize">{q.role}</CardTitle>
                <CardDescription>{changed(q)}</CardDescription>
              </CardHeader>
              <CardContent>
                <QuotaForm quota={q} />
              </CardContent>
            </Card>
          ))}
        </div>
      ) : (
        <Table>
          <THead>
            <TR>
              <TH>Role</TH>
              {QUOTA_FIELDS.map((f) => (
                <TH key={f.name}>{f.label}</TH>
              ))}
            </TR>
          </THead>
          <TBody>
            {quotas.map((q) => (
              <TR key={q.role}>
                <TD>
                  <Badge variant="outline">{q.role}</Badge> {q.role === ctx.actor.role && <span className="text-xs text-muted-foreground">your role</span>}
                </TD>
                {QUOTA_FIELDS.map((f) => (
                  <TD key={f.name}>{limit(q[f.name])}</TD>
                ))}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </>
  );
}
