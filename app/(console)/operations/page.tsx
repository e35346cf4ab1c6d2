import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Operations · Stevedore" };

export default function OperationsPage() {
  return (
    <ComingSoon
      title="Operations"
      description="Durable jobs: INDEX, APPEND, REINDEX, REMOVE_SOURCE, BACKUP, RESTORE and CLEAR."
      items={["Live job history with status and progress (done / total, rate, ETA)", "Checkpoints, logs and metrics (duration, CPU, peak memory) of each operation", "Cancel and retry, with the runs that executed each operation"]}
    />
  );
}
