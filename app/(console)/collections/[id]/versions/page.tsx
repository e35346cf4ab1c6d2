import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { listGoldenQueries } from "@/lib/services/reindex/golden";
import { getReindexPolicy } from "@/lib/services/reindex/policy";
import { listVersions } from "@/lib/services/reindex/versions";
import { loadCollection } from "../load";
import { GoldenQueries } from "./_components/golden-queries";
import { PolicyCard } from "./_components/policy-card";
import { VersionsPanel } from "./_components/versions-panel";

export const metadata = { title: "Versions · Stevedore" };

/** The collection's versions and alias history, rollback, what is listed for deletion, and what validation checks. */
export default async function CollectionVersionsPage({ params }: { params: Promise<{ id: string }> }) {
  const { ctx, detail, canOperate, canDelete } = await loadCollection((await params).id);
  const collectionId = detail.collection.id;
  const [versions, golden, policy] = await Promise.all([
    listVersions({ ctx, input: { collectionId } }),
    listGoldenQueries({ ctx, input: { collectionId } }),
    getReindexPolicy({ ctx, input: { collectionId } }),
  ]);
  return (
    <div className="space-y-6">
      <VersionsPanel initial={asJson(versions)} detail={detail} canOperate={canOperate} canDelete={canDelete} windowHours={policy.policy.rollbackWindowHours} />
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] [&>*]:min-w-0">
        <GoldenQueries collectionId={collectionId} queries={asJson(golden)} canManage={can(ctx.actor.role, "golden_query.manage")} hasData={detail.collection.activeVersion !== null} />
        <PolicyCard collectionId={collectionId} view={asJson(policy)} canEdit={can(ctx.actor.role, "collection.configure")} />
      </div>
    </div>
  );
}
