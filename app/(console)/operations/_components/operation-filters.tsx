import Link from "next/link";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { APPROVAL_TIMED_OUT, OPERATION_STATUS_FILTERS, OPERATION_TYPES, REJECTED, SUCCEEDED_WITH_FAILURES } from "@/lib/operation-status";

const FILTER_LABEL: Record<string, string> = { succeeded: "succeeded (clean)", succeeded_with_failures: "succeeded with failures" };
const OUTCOMES = [
  [SUCCEEDED_WITH_FAILURES, "succeeded with failures"],
  [REJECTED, "rejected"],
  [APPROVAL_TIMED_OUT, "not approved in time"],
] as const;

/** A GET form: the filter lives in the URL, so a filtered list can be bookmarked; the export and bulk actions take the same filter. */
export function OperationFilters({ values, collections }: { values: Record<string, string>; collections: { id: string; name: string }[] }) {
  return (
    <form method="get" action="/operations" className="mb-4 grid gap-3 md:grid-cols-4 lg:grid-cols-8" aria-label="Filter operations">
      <div className="space-y-1 md:col-span-2">
        <Label htmlFor="op-q">Search: id (its start) or error</Label>
        <Input id="op-q" name="q" type="search" minLength={3} defaultValue={values.q} placeholder="start of an id, or error text" />
      </div>
      <div className="space-y-1">
        <Label htmlFor="op-type">Type</Label>
        <Select id="op-type" name="type" defaultValue={values.type ?? ""}>
          <option value="">any</option>
          {OPERATION_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor="op-status">Status</Label>
        <Select id="op-status" name="status" defaultValue={values.status ?? ""}>
          <option value="">any</option>
          {OPERATION_STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {FILTER_LABEL[s] ?? s}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor="op-outcome">Outcome</Label>
        <Select id="op-outcome" name="outcome" defaultValue={values.outcome ?? ""}>
          <option value="">any</option>
          {OUTCOMES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1">
        <Label htmlFor="op-collection">Collection</Label>
        <Select id="op-collection" name="collectionId" defaultValue={values.collectionId ?? ""}>
          <option value="">any</option>
          {collections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1 md:col-span-2">
        <Label htmlFor="op-actor">Requested by (e-mail or “system”)</Label>
        <Input id="op-actor" name="actor" defaultValue={values.actor} />
      </div>
      <div className="space-y-1 md:col-span-2">
        <Label htmlFor="op-from">From (UTC)</Label>
        <Input id="op-from" name="from" type="datetime-local" defaultValue={values.from} />
      </div>
      <div className="space-y-1 md:col-span-2">
        <Label htmlFor="op-to">To (UTC)</Label>
        <Input id="op-to" name="to" type="datetime-local" defaultValue={values.to} />
      </div>
      <div className="flex items-end gap-2 md:col-span-4">
        <Button type="submit">Apply filters</Button>
        <Link href="/operations" className={buttonVariants({ variant: "ghost" })}>
          Clear
        </Link>
      </div>
    </form>
  );
}
