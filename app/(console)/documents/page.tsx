import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Documents · Stevedore" };

export default function DocumentsPage() {
  return (
    <ComingSoon
      title="Documents"
      description="Documents across collections and where they are in the pipeline."
      items={["Documents by stage: parse, validate, chunk, embed, store", "Dead letters filtered by stage and error, with Retry selected and Retry all matching", "Stalled documents that were detected and requeued"]}
    />
  );
}
