import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { formatCount } from "@/lib/format";
import type { DocumentPage } from "@/lib/query/collections";

/** "12,345 documents" when counted, "about 1.2M … (estimated)" past the counting cap: the reader is told which. */
export function totalText(total: DocumentPage["total"], noun: [string, string]): string {
  const word = total.count === 1 ? noun[0] : noun[1];
  return total.exact ? `${formatCount(total.count)} ${word}` : `about ${formatCount(total.count)} ${word} (estimated: counting stops at 10,000)`;
}

const href = (base: string, filter: Record<string, string>, cursor?: Record<string, string>) => {
  const query = new URLSearchParams({ ...filter, ...cursor }).toString();
  return query ? `${base}?${query}` : base;
};

/** Previous / next by keyset cursor; `filter` (without cursors) goes on every link, so a filtered list stays filtered. */
export function PageNav({ label, base, filter, page, noun }: { label: string; base: string; filter: Record<string, string>; page: DocumentPage; noun: [string, string] }) {
  const link = buttonVariants({ variant: "outline", size: "sm" });
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center gap-2">
      <p className="mr-2 text-sm text-muted-foreground" data-testid="list-total">
        {page.documents.length > 0 ? `${formatCount(page.documents.length)} shown of ` : ""}
        {totalText(page.total, noun)}
      </p>
      <PageLink className={link} to={page.prevBefore ? href(base, filter, { before: page.prevBefore }) : null} rel="prev" label="Previous page" />
      <PageLink className={link} to={page.nextAfter ? href(base, filter, { after: page.nextAfter }) : null} rel="next" label="Next page" />
    </nav>
  );
}

/** A page link, or the same words greyed out where there is no such page. */
function PageLink({ className, to, rel, label }: { className: string; to: string | null; rel: string; label: string }) {
  return to ? (
    <Link className={className} rel={rel} href={to}>
      {label}
    </Link>
  ) : (
    <span className={`${className} pointer-events-none opacity-50`} aria-disabled="true">
      {label}
    </span>
  );
}
