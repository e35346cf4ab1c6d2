import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { can, permissionsOf } from "@/lib/auth/rbac";
import { ChangePasswordForm } from "./_components/change-password-form";

export const metadata = { title: "Settings · Stevedore" };

export default async function SettingsPage() {
  const ctx = await pageContext();
  const role = ctx.actor.role!;
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-4 md:grid-cols-2">
        {can(role, "user.manage") && (
          <Link href="/settings/users">
            <Card className="hover:bg-muted/50">
              <CardHeader>
                <CardTitle>Users</CardTitle>
                <CardDescription>Create users, change their roles, disable accounts.</CardDescription>
              </CardHeader>
            </Card>
          </Link>
        )}
        {can(role, "quota.read") && (
          <Link href="/settings/quotas">
            <Card className="hover:bg-muted/50">
              <CardHeader>
                <CardTitle>Quotas</CardTitle>
                <CardDescription>
                  {can(role, "quota.manage") ? "Set each role's limits: operations under way, points per collection, collections." : "The limits each role that starts operations works within: operations under way, points per collection, collections."}
                </CardDescription>
              </CardHeader>
            </Card>
          </Link>
        )}
        {can(role, "token.own") && (
          <Link href="/settings/tokens">
            <Card className="hover:bg-muted/50">
              <CardHeader>
                <CardTitle>API tokens</CardTitle>
                <CardDescription>Tokens for the REST API and the CLI (cron backups, CI reindexes), with your role or less.</CardDescription>
              </CardHeader>
            </Card>
          </Link>
        )}
        <Card>
          <CardHeader>
            <CardTitle>Your access</CardTitle>
            <CardDescription>
              Role <strong>{role}</strong>: {permissionsOf(role).join(", ")}.
            </CardDescription>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Password</CardTitle>
            <CardDescription>Signed in as {ctx.actor.email}.</CardDescription>
          </CardHeader>
          <CardContent>
            <ChangePasswordForm />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
