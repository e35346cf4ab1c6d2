import { LiveOverview } from "../_components/live-collection";
import { loadCollection } from "./load";

export const metadata = { title: "Collection · Stevedore" };

/** The overview: counts and versions only; the documents table is its own tab. */
export default async function CollectionOverviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { detail, canOperate } = await loadCollection((await params).id);
  return <LiveOverview initial={detail} canOperate={canOperate} />;
}
