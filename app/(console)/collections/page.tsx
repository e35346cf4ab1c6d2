import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { listCollections } from "@/lib/services/collection/read";
import { CollectionsTable } from "./_components/collections-table";

export const metadata = { title: "Collections · Stevedore" };

export default async function CollectionsPage() {
  const ctx = await pageContext();
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
      <CollectionsTable initial={initial} canCreate={canCreate} />
    </>
  );
}
