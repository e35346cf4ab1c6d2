import { SearchPlayground } from "../../_components/search-playground";
import { loadCollection } from "../load";

export const metadata = { title: "Search · Stevedore" };

export default async function CollectionSearchPage({ params }: { params: Promise<{ id: string }> }) {
  const { detail } = await loadCollection((await params).id);
  return <SearchPlayground collectionId={detail.collection.id} hasData={detail.collection.activeVersion !== null} />;
}
