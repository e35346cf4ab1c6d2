import { ComingSoon } from "@/components/ui/coming-soon";

export const metadata = { title: "Alerts · Stevedore" };

export default function AlertsPage() {
  return (
    <ComingSoon
      title="Alerts"
      description="Alert rules, firing alerts and where notifications go."
      items={["Firing, acknowledged and resolved alerts with their history", "Rules on metrics with thresholds, pending periods and severities", "Channels (e-mail, Slack, webhook), escalation policies and silences"]}
    />
  );
}
