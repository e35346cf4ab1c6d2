import { LiveOperations } from "../../_components/live-collection";
import { loadCollection } from "../load";

export const metadata = { title: "Collection operations · Stevedore" };

export default async function CollectionOperationsPage({ params }: { params: Promise<{ id: string }> }) {
  const { detail } = await loadCollection((await params).id);
  return <LiveOperations initial={detail} />;
}
