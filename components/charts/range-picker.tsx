import Link from "next/link";
import { cn } from "@/components/ui/cn";

/** Links that set `?range=` in the URL, so a range can be shared and survives a reload. */
export function RangePicker({ ranges, current, basePath }: { ranges: readonly string[]; current: string; basePath: string }) {
  return (
    <nav aria-label="Time range" className="inline-flex rounded-md border p-0.5 text-sm">
      {ranges.map((range) => (
        <Link
          key={range}
          href={`${basePath}?range=${range}`}
          aria-current={range === current ? "page" : undefined}
          className={cn("rounded px-3 py-1", range === current ? "bg-primary text-primary-foreground" : "text-muted-foreground hover:bg-accent hover:text-accent-foreground")}
        >
          {range}
        </Link>
      ))}
    </nav>
  );
}
