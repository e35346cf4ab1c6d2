import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can, rolesUpTo } from "@/lib/auth/rbac";
import { listApiTokens } from "@/lib/services/api-token/list";
import { NoPermission } from "../no-permission";
import { CreateTokenForm } from "./_components/create-token-form";
import { RevokeTokenButton } from "./_components/revoke-token-button";

export const metadata = { title: "API tokens · Stevedore" };

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "—");

export default async function TokensPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "token.own")) return <NoPermission title="API tokens" />;
  const everyone = can(ctx.actor.role, "token.manage");
  const tokens = await listApiTokens({ ctx });
  return (
    <>
      <PageHeader
        title="API tokens"
        description={`Send as \`Authorization: Bearer <token>\` to /api/v1. A token acts as its creator with the role it was given, never more than the creator's current role. ${everyone ? "You see everyone's tokens." : "You see your own tokens."}`}
      />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Create a token</CardTitle>
          <CardDescription>Only a hash is stored: the token is shown once.</CardDescription>
        </CardHeader>
        <CardContent>
          <CreateTokenForm roles={rolesUpTo(ctx.actor.role!)} />
        </CardContent>
      </Card>
      <Table>
        <THead>
          <TR>
            <TH>Name</TH>
            <TH>Token</TH>
            <TH>Role</TH>
            <TH>Owner</TH>
            <TH>Created</TH>
            <TH>Last used</TH>
            <TH>Expires</TH>
            <TH>Status</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {tokens.map((t) => {
            const expired = t.expiresAt !== null && t.expiresAt < new Date();
            return (
              <TR key={t.id}>
                <TD className="font-medium">{t.name}</TD>
                <TD className="font-mono">{t.prefix}…</TD>
                <TD>
                  <Badge variant="outline">{t.role}</Badge>
                  {t.effectiveRole !== t.role && <div className="mt-1 text-xs text-muted-foreground">acts as {t.effectiveRole}, its owner&rsquo;s role now</div>}
                </TD>
                <TD>{t.owner}</TD>
                <TD>{when(t.createdAt)}</TD>
                <TD>{when(t.lastUsedAt)}</TD>
                <TD>{when(t.expiresAt)}</TD>
                <TD>{t.revokedAt ? <Badge variant="destructive">revoked</Badge> : expired ? <Badge variant="warning">expired</Badge> : <Badge variant="success">active</Badge>}</TD>
                <TD>{!t.revokedAt && <RevokeTokenButton tokenId={t.id} name={t.name} />}</TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </>
  );
}
