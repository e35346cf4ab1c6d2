import Link from "next/link";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { listCollections } from "@/lib/services/collection/read";
import { CollectionsTable } from "./_components/collections-table";

export const metadata = { title: "Collections · Stevedore" };

export default async function CollectionsPage({ searchParams }: { searchParams: Promise<{ deleted?: string | string[] }> }) {
  const ctx = await pageContext();
  const { deleted } = await searchParams;
  const initial = asJson(await listCollections({ ctx }));
  const canCreate = can(ctx.actor.role, "operation.start");
  return (
    <>
      <PageHeader
        title="Collections"
        description="Your vector-search collections: documents, points and the last operation of each. Refreshes live while any is busy."
        actions={
          canCreate ? (
            <Link href="/collections/new" className={buttonVariants()}>
              New collection
            </Link>
          ) : undefined
        }
      />
      {typeof deleted === "string" && (
        <Alert variant="success" className="mb-4">
          <AlertDescription>Collection {deleted} was deleted.</AlertDescription>
        </Alert>
      )}
      <CollectionsTable initial={initial} canCreate={canCreate} />
    </>
  );
}
