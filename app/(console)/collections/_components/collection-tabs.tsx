"use client";

import Link from "next/link";
import { useSelectedLayoutSegment } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format";

const TABS = [
  { segment: null, label: "Overview" },
  { segment: "sources", label: "Sources" },
  { segment: "documents", label: "Documents" },
  { segment: "dead-letters", label: "Dead letters" },
  { segment: "operations", label: "Operations" },
  { segment: "versions", label: "Versions" },
  { segment: "backups", label: "Backups" },
  { segment: "search", label: "Search" },
  { segment: "settings", label: "Settings" },
] as const;

/** Pages reached from a tab rather than tabs of their own: the tab stays marked. */
const NESTED_UNDER: Record<string, string> = { reindex: "settings" };

type Counted = "sources" | "documents" | "dead-letters" | "operations";

/** Tabs are links to nested routes: each is addressable, opens with the keyboard, and the open one is aria-current. */
export function CollectionTabs({ collectionId, counts }: { collectionId: string; counts: Record<Counted, number> }) {
  const open = useSelectedLayoutSegment();
  return (
    <nav aria-label="Collection sections" className="mb-6 overflow-x-auto border-b">
      <ul className="flex min-w-max gap-1">
        {TABS.map(({ segment, label }) => {
          const current = (open ? (NESTED_UNDER[open] ?? open) : null) === segment;
          const count = segment && segment in counts ? counts[segment as Counted] : null;
          return (
            <li key={label}>
              <Link
                href={`/collections/${collectionId}${segment ? `/${segment}` : ""}`}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "-mb-px inline-flex items-center gap-1.5 rounded-t-md border-b-2 px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  current ? "border-primary font-medium text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
                  segment === "dead-letters" && count ? "text-destructive" : undefined,
                )}
              >
                {label}
                {count !== null && <span className="rounded bg-muted px-1.5 text-xs tabular-nums">{formatCount(count)}</span>}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
