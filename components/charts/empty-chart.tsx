import type { ReactNode } from "react";

/** What a chart shows when there is nothing to draw: why, and what would fill it. */
export function EmptyChart({ children }: { children: ReactNode }) {
  return <div className="flex h-[220px] items-center justify-center rounded-md border border-dashed px-6 text-center text-sm text-muted-foreground">{children}</div>;
}
