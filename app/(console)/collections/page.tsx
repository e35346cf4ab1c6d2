import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Collections · Stevedore" };

export default function CollectionsPage() {
  return (
    <ComingSoon
      title="Collections"
      description="Your vector-search collections and their live versions."
      items={["Every collection with its points, documents, status and last operation", "Create a collection from a server directory or uploaded files", "Per collection: sources, documents by pipeline stage, operations and a search playground"]}
    />
  );
}
