import { LiveSources } from "../../_components/live-collection";
import { loadCollection } from "../load";

export const metadata = { title: "Sources · Stevedore" };

export default async function CollectionSourcesPage({ params }: { params: Promise<{ id: string }> }) {
  const { detail, canOperate } = await loadCollection((await params).id);
  return <LiveSources initial={detail} canOperate={canOperate} />;
}
