import Link from "next/link";

/** The Alerts section's pages. */
export function AlertsNav({ current }: { current: "alerts" | "dashboard" | "rules" | "channels" | "policies" | "silences" | "maintenance" }) {
  const items = [
    { key: "alerts", href: "/alerts", label: "Alerts" },
    { key: "dashboard", href: "/alerts/dashboard", label: "Dashboard" },
    { key: "rules", href: "/alerts/rules", label: "Rules" },
    { key: "channels", href: "/alerts/channels", label: "Channels" },
    { key: "policies", href: "/alerts/escalation-policies", label: "Escalation policies" },
    { key: "silences", href: "/alerts/silences", label: "Silences" },
    { key: "maintenance", href: "/alerts/maintenance", label: "Maintenance windows" },
  ] as const;
  return (
    <nav aria-label="Alerting" className="mb-4 flex gap-4 text-sm">
      {items.map((i) => (
        <Link key={i.key} href={i.href} aria-current={i.key === current ? "page" : undefined} className={i.key === current ? "font-semibold underline" : "text-muted-foreground hover:underline"}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}
