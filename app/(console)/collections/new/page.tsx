import Link from "next/link";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { env } from "@/lib/env";
import { sourceRoots } from "@/lib/sources/resolve";
import { NoPermission } from "../../settings/no-permission";
import { CreateCollectionForm } from "../_components/create-collection-form";

export const metadata = { title: "New collection · Stevedore" };

export default async function NewCollectionPage() {
  const ctx = await pageContext();
  if (!can(ctx.actor.role, "operation.start")) return <NoPermission title="New collection" />;
  return (
    <>
      <PageHeader
        title="New collection"
        description={
          <>
            Creates the collection and starts an INDEX operation over its first source: a folder on the server, or files uploaded from this computer. Back to{" "}
            <Link href="/collections" className="underline">
              Collections
            </Link>
            .
          </>
        }
      />
      <Card>
        <CardContent className="pt-5">
          <CreateCollectionForm sourceRoots={sourceRoots()} vectorBackend={env().VECTOR_STORE} />
        </CardContent>
      </Card>
    </>
  );
}
