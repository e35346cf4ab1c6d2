import Link from "next/link";
import { Button, buttonVariants } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { OPERATION_STATUS_FILTERS, OPERATION_TYPES } from "@/lib/operation-status";

const FILTER_LABEL: Record<string, string> = { succeeded: "succeeded (clean)", succeeded_with_failures: "succeeded with failures" };

/** A GET form: the filter lives in the URL, so a filtered list can be bookmarked. */
export function OperationFilters({ values }: { values: Record<string, string> }) {
  return (
    <form method="get" action="/operations" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter operations">
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
        <Label htmlFor="op-type">Type</Label>
        <Select id="op-type" name="type" defaultValue={values.type ?? ""}>
          <option value="">any</option>
          {OPERATION_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </Select>
      </div>
      <Button type="submit">Apply filters</Button>
      <Link href="/operations" className={buttonVariants({ variant: "ghost" })}>
        Clear
      </Link>
    </form>
  );
}
