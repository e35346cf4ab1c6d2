import {
  Activity,
  Archive,
  Bell,
  Database,
  FileText,
  HeartPulse,
  LayoutDashboard,
  ScrollText,
  Settings,
  Workflow,
  type LucideIcon,
} from "lucide-react";

export type NavItem = { label: string; href: string; icon: LucideIcon };

export const navItems: readonly NavItem[] = [
  { label: "Overview", href: "/", icon: LayoutDashboard },
  { label: "Collections", href: "/collections", icon: Database },
  { label: "Operations", href: "/operations", icon: Activity },
  { label: "Runs", href: "/runs", icon: Workflow },
  { label: "Documents", href: "/documents", icon: FileText },
  { label: "Backups", href: "/backups", icon: Archive },
  { label: "Alerts", href: "/alerts", icon: Bell },
  { label: "Health", href: "/health", icon: HeartPulse },
  { label: "Audit", href: "/audit", icon: ScrollText },
  { label: "Settings", href: "/settings", icon: Settings },
];

/** Overview matches only "/"; other entries stay active on their sub-pages. */
export function isNavItemActive(href: string, pathname: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
