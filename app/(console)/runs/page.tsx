import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Runs · Stevedore" };

export default function RunsPage() {
  return (
    <ComingSoon
      title="Runs"
      description="Every execution of a background function."
      items={["Runs with status, function, trigger event, start, end, duration and attempts", "Filters by status, function and time, refreshed live while anything runs", "A step timeline per run, with Cancel and Rerun"]}
    />
  );
}
