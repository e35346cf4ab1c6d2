import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { listUsers } from "@/lib/services/user/list";
import { NoPermission } from "../no-permission";
import { CreateUserForm } from "./_components/create-user-form";
import { UserRowActions } from "./_components/user-row-actions";

export const metadata = { title: "Users · Stevedore" };

export default async function UsersPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "user.manage")) return <NoPermission title="Users" />;
  const users = await listUsers({ ctx });
  return (
    <>
      <PageHeader title="Users" description="Who can sign in, and what each role may do." />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Create a user</CardTitle>
        </CardHeader>
        <CardContent>
          <CreateUserForm />
        </CardContent>
      </Card>
      <Table>
        <THead>
          <TR>
            <TH>User</TH>
            <TH>Role</TH>
            <TH>Status</TH>
            <TH>Last sign-in</TH>
            <TH>Actions</TH>
          </TR>
        </THead>
        <TBody>
          {users.map((user) => (
            <TR key={user.id}>
              <TD>
                <div className="font-medium">{user.name}</div>
                <div className="text-muted-foreground">{user.email}</div>
              </TD>
              <TD>
                <Badge variant="outline">{user.role}</Badge>
              </TD>
              <TD>
                {user.disabledAt ? <Badge variant="destructive">disabled</Badge> : <Badge variant="success">active</Badge>}
                {user.lockedUntil && (
                  <div className="mt-1 text-xs text-muted-foreground">
                    <Badge variant="warning">locked</Badge> sign-in locked from some address until {user.lockedUntil.toISOString().slice(11, 16)} UTC
                  </div>
                )}
              </TD>
              <TD>{user.lastSignInAt ? user.lastSignInAt.toISOString().slice(0, 16).replace("T", " ") : "never"}</TD>
              <TD>
                <UserRowActions user={{ id: user.id, email: user.email, role: user.role, disabled: !!user.disabledAt, locked: !!user.lockedUntil }} isSelf={user.id === ctx.actor.id} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </>
  );
}
